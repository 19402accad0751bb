import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A hostile "registrar" for tests/sip/e2e.ts: a SIP-over-WebSocket server (RFC 7118, subprotocol `sip`)
 * that answers every REGISTER with garbage first (a truncated status line, a 200 whose Via and CSeq are
 * broken, binary junk, a 200 with a lying Content-Length) and then a well-formed 403. It can also send
 * the connected phone an INVITE whose SDP is not SDP. Everything the phone sends back is kept.
 */
export type FakeSipServer = {
  url: string;
  /** Every text frame the phone sent, in order. */
  received: string[];
  /** Sends an INVITE with a malformed SDP body to `user` over the last connection; returns its Call-ID. */
  sendBadInvite(user: string): string;
  close(): Promise<void>;
};

const header = (msg: string, name: string): string => new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(msg)?.[1]?.trim() ?? '';

function junkReplies(register: string): Array<string | Buffer> {
  const via = header(register, 'Via');
  const from = header(register, 'From');
  const to = header(register, 'To');
  const callId = header(register, 'Call-ID');
  const cseq = header(register, 'CSeq');
  const tail = 'Content-Length: 0\r\n\r\n';
  return [
    'SIP/2.0 2',
    `SIP/2.0 200 OK\r\nVia: SIP/2.0/WSS ;;;branch=\r\nFrom: ${from}\r\nTo: ${to};tag=junk\r\nCall-ID: ${callId}\r\nCSeq: banana REGISTER\r\n${tail}`,
    // Right transaction (Via), broken CSeq: must not count as a successful registration.
    `SIP/2.0 200 OK\r\nVia: ${via}\r\nFrom: ${from}\r\nTo: ${to};tag=junk\r\nCall-ID: ${callId}\r\nCSeq: x\r\n${tail}`,
    Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x53, 0x49, 0x50, 0x0d, 0x0a, 0x0d, 0x0a, 0xc3]),
    `SIP/2.0 200 OK\r\nVia: ${via}\r\nContent-Length: 99999\r\n\r\nshort`,
    `SIP/2.0 403 Forbidden\r\nVia: ${via}\r\nFrom: ${from}\r\nTo: ${to};tag=fake403\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\n${tail}`,
  ];
}

export async function startFakeSipServer(port: number): Promise<FakeSipServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, handleProtocols: (p) => (p.has('sip') ? 'sip' : false) });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const received: string[] = [];
  let last: WebSocket | undefined;
  let n = 0;
  wss.on('connection', (ws) => {
    last = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const msg = data.toString();
      received.push(msg);
      if (/^REGISTER /.test(msg)) for (const r of junkReplies(msg)) ws.send(r);
    });
  });
  return {
    url: `ws://127.0.0.1:${port}`,
    received,
    sendBadInvite(user) {
      if (!last) throw new Error('no phone connected');
      const callId = `fakeinvite${++n}`;
      const body = 'v=0\r\no=this is not sdp\r\nm=audio notaport RTP/SAVPF 999999\r\na=rtpmap:\r\nc=IN IP4\r\n';
      last.send(
        `INVITE sip:${user}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS fake.invalid;branch=z9hG4bKfake${n}\r\nMax-Forwards: 70\r\n` +
          `From: "Fake" <sip:9999@127.0.0.1>;tag=fk${n}\r\nTo: <sip:${user}@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 INVITE\r\n` +
          `Contact: <sip:9999@fake.invalid;transport=ws>\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return callId;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}
