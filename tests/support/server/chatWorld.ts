import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../../server/app';
import { type ServerConfigInput, makeConfig } from '../../../server/config';
import { createWorld, secret, type Person, type World } from './syncWorld';
import { signatureValue } from '../../../server/chat/outbox';
import type { ChatOptions, ChatRuntime } from '../../../server/chat/routes';
import type { SlaRuntime } from '../../../server/sla/routes';
import type { BoardRuntime } from '../../../server/board/routes';
import type { QueueRuntime } from '../../../server/queues/routes';

/**
 * Chat tests' world: the sync test world (team A: anna, bo, lead; team B: zed; admin) plus queues:
 * team A serves English (offer mode) and English billing; team B serves zh-CN and zh-TW (auto mode).
 * The clock is a number the test moves; the sweep timer is off (tests call `chat.service.sweep()`).
 */
export type ChatWorld = World & {
  app: FastifyInstance;
  chat: ChatRuntime;
  /** The SLA scanner does not run on its own here: tests call `sla.scanOnce()` after moving the clock. */
  sla: SlaRuntime;
  board: BoardRuntime;
  /** Voice queues: the timer is off here; `voice.tick()` moves offers on and dispatches. */
  voice: QueueRuntime;
  clock: { now: number };
  queues: { en: string; enBilling: string; zh: string };
  close(): Promise<void>;
};

/** Tests post hundreds of messages from one loopback address; the widget quota tests pass their own limits. */
export const roomyWidgetQuotas = {
  widgetChatsPerAddress: 1e6,
  widgetMessagesPerSession: 1e6,
  widgetMessagesPerAddress: 1e6,
  widgetFilesPerSession: 1e6,
  widgetFilesPerAddress: 1e6,
  widgetFileBytesPerSession: 1e12,
  widgetFileBytesPerAddress: 1e12,
} satisfies Partial<ServerConfigInput>;

export async function createChatWorld(options: Partial<ChatOptions> = {}, config: Partial<ServerConfigInput> = {}): Promise<ChatWorld> {
  const w = await createWorld();
  const clock = { now: Date.parse('2026-03-02T09:00:00Z') };
  const insertQueue = async (name: string, teamId: string, skills: { language?: string; product?: string }, mode = 'offer') => {
    const { rows } = await w.db.query<{ id: string }>(
      'insert into chat_queues (name, team_id, language, product, mode, offer_timeout_seconds) values ($1, $2, $3, $4, $5, 30) returning id',
      [name, teamId, skills.language ?? null, skills.product ?? null, mode],
    );
    return rows[0]!.id;
  };
  const queues = {
    en: await insertQueue('English', w.teamA, { language: 'en' }),
    enBilling: await insertQueue('English billing', w.teamA, { language: 'en', product: 'billing' }),
    zh: await insertQueue('Chinese', w.teamB, { language: 'zh-CN' }, 'auto'),
  };
  await insertQueue('Chinese (Traditional)', w.teamB, { language: 'zh-TW' }, 'auto');
  let chat: ChatRuntime | null = null;
  let sla: SlaRuntime | null = null;
  let board: BoardRuntime | null = null;
  let voice: QueueRuntime | null = null;
  const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent', ...roomyWidgetQuotas, ...config }), {
    db: w.db,
    sync: { now: () => clock.now, authDeadlineMs: 300 },
    chat: { sweepMs: 0, authDeadlineMs: 300, ...options, onRuntime: (r) => (chat = r) },
    sla: { scan: false, authDeadlineMs: 5_000, onRuntime: (r) => (sla = r) },
    // The background rollup job would run on the test's moved clock at its own moments; tests call it by hand.
    kpi: { materialiseEveryMs: 0 },
    onBoard: (b) => (board = b),
    queues: { onRuntime: (r) => (voice = r) },
  });
  await app.ready();
  return {
    ...w,
    app,
    chat: chat!,
    sla: sla!,
    board: board!,
    voice: voice!,
    clock,
    queues,
    async close() {
      await app.close();
      await w.db.close();
    },
  };
}

export async function setPresence(w: ChatWorld, who: Person, presence: string): Promise<void> {
  const res = await w.app.inject({ method: 'POST', url: '/presence', headers: who.auth, payload: { presence } });
  if (res.statusCode !== 200) throw new Error(`presence: ${res.statusCode} ${res.body}`);
}

export type Customer = { token: string; conversationId: string; auth: { authorization: string } };

export async function startChat(w: ChatWorld, body: Record<string, unknown> = { name: 'Mia', language: 'en' }, remoteAddress?: string): Promise<Customer> {
  const res = await w.app.inject({ method: 'POST', url: '/widget/sessions', payload: body, ...(remoteAddress ? { remoteAddress } : {}) });
  if (res.statusCode !== 200) throw new Error(`session: ${res.statusCode} ${res.body}`);
  const s = res.json<{ sessionToken: string; conversationId: string }>();
  return { token: s.sessionToken, conversationId: s.conversationId, auth: { authorization: `Bearer ${s.sessionToken}` } };
}

export type Posted = { url: string; body: string; signature: string };
export type Signing = { secret?: string; at?: number; header?: string | null };

/**
 * A chat world with one signed-webhook provider (messaging or email gateway): `posted` is what the
 * provider's callback received, `failNext(n)` makes the next n callbacks answer 503, and `deliver()`
 * posts an inbound delivery signed with the provider's secret (or another secret, time or header).
 */
export type ProviderWorld = {
  w: ChatWorld;
  posted: Posted[];
  failNext(n: number): void;
  deliver(body: object, sign?: Signing): Promise<LightMyRequestResponse>;
};

export async function createProviderWorld(p: { id: string; name: string; secret: string; callbackUrl: string; inboundUrl: string; okStatus: number }): Promise<ProviderWorld> {
  const posted: Posted[] = [];
  let failures = 0;
  const w = await createChatWorld({
    post: async (url, init) => {
      posted.push({ url, body: init.body, signature: init.headers['x-switchboard-signature']! });
      if (failures > 0) {
        failures -= 1;
        return { ok: false, status: 503 };
      }
      return { ok: true, status: p.okStatus };
    },
  });
  await w.db.query('insert into messaging_providers (id, name, secret, callback_url) values ($1, $2, $3, $4)', [p.id, p.name, p.secret, p.callbackUrl]);
  return {
    w,
    posted,
    failNext: (n) => void (failures = n),
    deliver(body, sign = {}) {
      const raw = JSON.stringify(body);
      const at = Math.floor((sign.at ?? w.clock.now) / 1000);
      const header = sign.header === undefined ? signatureValue(sign.secret ?? p.secret, at, raw) : sign.header;
      return w.app.inject({
        method: 'POST',
        url: p.inboundUrl,
        headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'x-switchboard-signature': header }) },
        payload: raw,
      });
    },
  };
}
