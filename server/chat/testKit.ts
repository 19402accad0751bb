import type { FastifyInstance } from 'fastify';
import { buildServer } from '../app';
import { makeConfig } from '../config';
import { createWorld, secret, type Person, type World } from '../sync/testWorld';
import type { ChatOptions, ChatRuntime } from './routes';

/**
 * Chat tests' world: the sync test world (team A: anna, bo, lead; team B: zed; admin) plus queues:
 * team A serves English (offer mode) and English billing; team B serves zh-CN and zh-TW (auto mode).
 * The clock is a number the test moves; the sweep timer is off (tests call `chat.service.sweep()`).
 */
export type ChatWorld = World & {
  app: FastifyInstance;
  chat: ChatRuntime;
  clock: { now: number };
  queues: { en: string; enBilling: string; zh: string };
  close(): Promise<void>;
};

export async function createChatWorld(options: Partial<ChatOptions> = {}): Promise<ChatWorld> {
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
  const app = buildServer(makeConfig({ tokenSecret: secret, logLevel: 'silent' }), {
    db: w.db,
    sync: { now: () => clock.now, authDeadlineMs: 300 },
    chat: { sweepMs: 0, authDeadlineMs: 300, widgetSessionsPerAddress: 10_000, ...options, onRuntime: (r) => (chat = r) },
  });
  await app.ready();
  return {
    ...w,
    app,
    chat: chat!,
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

export async function startChat(w: ChatWorld, body: Record<string, unknown> = { name: 'Mia', language: 'en' }): Promise<Customer> {
  const res = await w.app.inject({ method: 'POST', url: '/widget/sessions', payload: body });
  if (res.statusCode !== 200) throw new Error(`session: ${res.statusCode} ${res.body}`);
  const s = res.json<{ sessionToken: string; conversationId: string }>();
  return { token: s.sessionToken, conversationId: s.conversationId, auth: { authorization: `Bearer ${s.sessionToken}` } };
}
