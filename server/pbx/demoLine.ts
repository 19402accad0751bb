import net from 'node:net';

/**
 * The demo customer line: a baresip user agent (a real SIP phone) that the server drives over its
 * ctrl_tcp socket (netstring JSON, baresip's menu commands). It dials an agent on request, plays spoken
 * prompts (espeak-ng), and answers the agent's keypad: each RFC 4733 digit it receives switches what it
 * says (`ausrc` command), so an agent can try an IVR-like exchange end to end.
 */

export type DemoLineEvent = { type: string; param?: string; peeruri?: string; id?: string };

export type DemoLine = {
  /** Places a call to `sip:<extension>@domain`. Resolves when baresip accepted the command. */
  dial(extension: string): Promise<void>;
  hangup(): Promise<void>;
  /** DTMF digits received during calls, in order (for tests and the log). */
  readonly digits: readonly string[];
  onEvent(listener: (e: DemoLineEvent) => void): () => void;
  close(): void;
};

type Reply = { response: true; ok: boolean; data?: string; token?: string };

export class DemoLineError extends Error {
  override readonly name = 'DemoLineError';
}

export function createDemoLine(o: { ctrlPort: number; domain: string; prompts: Record<string, string>; log: (line: string) => void }): DemoLine {
  const digits: string[] = [];
  const listeners = new Set<(e: DemoLineEvent) => void>();
  const pending = new Map<string, { resolve: (r: Reply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let sock: net.Socket | null = null;
  let buf = Buffer.alloc(0);
  let closed = false;
  let seq = 0;

  const handle = (body: string): void => {
    let j: Partial<Reply> & DemoLineEvent & { event?: boolean };
    try {
      j = JSON.parse(body) as typeof j;
    } catch {
      return;
    }
    if (j.response && j.token && pending.has(j.token)) {
      const p = pending.get(j.token)!;
      pending.delete(j.token);
      clearTimeout(p.timer);
      p.resolve(j as Reply);
      return;
    }
    if (!j.event || typeof j.type !== 'string') return;
    if (j.type === 'CALL_DTMF_START' && typeof j.param === 'string' && /^[0-9*#A-D]$/.test(j.param)) {
      digits.push(j.param);
      const prompt = o.prompts[j.param] ?? o.prompts.other;
      o.log(`[demo-line] received DTMF '${j.param}', answering`);
      if (prompt) void command('ausrc', `aufile,${prompt}`).catch((e: unknown) => o.log(`[demo-line] ausrc failed: ${String(e)}`));
    }
    for (const l of listeners) l({ type: j.type, ...(j.param ? { param: j.param } : {}), ...(j.peeruri ? { peeruri: j.peeruri } : {}), ...(j.id ? { id: j.id } : {}) });
  };

  const connect = (): net.Socket => {
    if (sock && !sock.destroyed) return sock;
    const s = net.connect(o.ctrlPort, '127.0.0.1');
    buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const colon = buf.indexOf(':');
        if (colon < 0) return;
        const len = Number(buf.subarray(0, colon).toString());
        if (!Number.isFinite(len) || buf.length < colon + 2 + len) return;
        const body = buf.subarray(colon + 1, colon + 1 + len).toString();
        buf = buf.subarray(colon + 2 + len);
        handle(body);
      }
    });
    s.on('error', (e) => o.log(`[demo-line] control socket: ${e.message}`));
    s.on('close', () => {
      for (const [token, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new DemoLineError('the demo line closed its control socket'));
        pending.delete(token);
      }
      if (sock === s) sock = null;
      // Keep listening for DTMF events: reconnect unless we are closing.
      if (!closed) setTimeout(() => !closed && connect(), 500).unref();
    });
    sock = s;
    return s;
  };

  const command = (name: string, params = ''): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const token = `c${++seq}`;
      const msg = JSON.stringify({ command: name, params, token });
      const timer = setTimeout(() => {
        pending.delete(token);
        reject(new DemoLineError(`the demo line did not answer '${name}'`));
      }, 5000);
      pending.set(token, { resolve, reject, timer });
      connect().write(`${Buffer.byteLength(msg)}:${msg},`);
    });

  connect();

  return {
    async dial(extension) {
      if (!/^[0-9A-Za-z_.+-]{1,64}$/.test(extension)) throw new DemoLineError('not an extension');
      // Start each call on the greeting, whatever the last call's keys switched to.
      if (o.prompts.greeting) await command('ausrc', `aufile,${o.prompts.greeting}`).catch(() => undefined);
      const r = await command('dial', `sip:${extension}@${o.domain}`);
      if (!r.ok) throw new DemoLineError(`the demo line could not dial: ${r.data ?? 'refused'}`);
    },
    async hangup() {
      await command('hangup');
    },
    digits,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      sock?.destroy();
    },
  };
}
