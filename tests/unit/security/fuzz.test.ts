import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signatureValue } from '../../../server/chat/outbox';
import { loadActor, scopeKey } from '../../../server/tickets/scope';
import { routeTable } from '../../support/server/authzTable';
import { createSecurityWorld, providerSecret, type SecurityWorld } from '../../support/server/authzWorld';
import { tableDigest, changedTables } from '../../support/server/dbDigest';
import { fuzzTable, RawBody, watchedTables, type FuzzIds, type FuzzSpec } from '../../support/server/fuzzTable';
import { berlinReply, berlinTicket, coachingSession, customerFile, freshSession, type Chat } from '../../support/server/securityFixtures';
import { socketSchemas, trySocket } from '../../support/server/socketTable';
import { arbitraryOf, hostileStrings } from '../../support/server/zodArbitrary';

/**
 * Issue 12, "Beyond the list": every route and socket message with schema-aware random and boundary
 * input (tests/support/server/fuzzTable.ts). The properties: never a 5xx, an answer within the budget,
 * and a refused request (4xx) leaves every watched table as it was. Bounded: a fixed seed (FUZZ_SEED to
 * replay another), FUZZ_RUNS runs per route; the first failure of a route ends its run without
 * shrinking (the server is stateful) and reports the seed and the input.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20261207);
const numRuns = Number(process.env.FUZZ_RUNS ?? 10);
const budgetMs = 3_000;

let w: SecurityWorld;
let ids: FuzzIds;
let chat: Chat;

beforeAll(async () => {
  w = await createSecurityWorld();
  const file = await customerFile(w);
  chat = file.chat;
  ids = {
    conversation: chat.conversationId,
    ticket: (await berlinTicket(w)).ticketId,
    reply: await berlinReply(w),
    attachment: file.attachmentId,
    coachingSession: await coachingSession(w),
    team: w.berlin,
    agentScope: scopeKey((await loadActor(w.db, w.people.agent.id))!),
  };
});
afterAll(async () => {
  await w?.close();
});

type Input = { path: Record<string, string>; query: string | undefined; body: unknown };

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });

/** A path segment as a client would send it; a lone surrogate has no UTF-8 form, so it goes as the bytes a careless encoder makes (CESU-8). */
const segment = (s: string) =>
  Array.from(s)
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) return `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`.toUpperCase();
      return encodeURIComponent(ch);
    })
    .join('');

/** Credentials for one request; a fresh session is made here, before the tables are digested. */
async function credentials(spec: FuzzSpec): Promise<Record<string, string>> {
  if (spec.auth === 'agent') return w.people.agent.auth;
  if (spec.auth === 'admin') return w.people.admin.auth;
  if (spec.auth === 'fresh') return (await freshSession(w, 'agent')).headers;
  if (spec.auth === 'customer') return chat.customer;
  return {};
}

async function send(key: string, spec: FuzzSpec, input: Input, auth: Record<string, string>): Promise<LightMyRequestResponse | 'timeout'> {
  const space = key.indexOf(' ');
  const method = key.slice(0, space) as 'GET';
  let url = key.slice(space + 1).replace(/:([a-zA-Z]+)/g, (_, name: string) => segment(input.path[name] ?? ''));
  if (url === '*') url = '/me';
  if (input.query !== undefined) url += `?${input.query}`;
  const text = input.body === undefined ? undefined : input.body instanceof RawBody ? input.body.text : JSON.stringify(input.body);
  const headers: Record<string, string> = { ...auth, ...(text === undefined ? {} : { 'content-type': 'application/json' }) };
  if (spec.auth === 'signed') headers['x-switchboard-signature'] = signatureValue(providerSecret, Math.floor(Date.now() / 1000), text ?? '');
  if (method === ('OPTIONS' as string)) Object.assign(headers, { origin: 'app://switchboard', 'access-control-request-method': 'POST' });
  return within(w.app.inject({ method, url, headers, ...(text === undefined ? {} : { payload: text }) }), budgetMs);
}

/** For listing which routes have examples before the fixtures exist. */
const placeholderIds: FuzzIds = { conversation: '', ticket: '', reply: '', attachment: '', coachingSession: '', team: '', agentScope: '' };

const show = (value: unknown) => {
  const text = value instanceof RawBody ? `raw ${value.text}` : (JSON.stringify(value) ?? String(value));
  return text.length > 400 ? `${text.slice(0, 400)}… (${text.length} chars)` : text;
};

describe('routes never answer 5xx, never hang, and change nothing when they refuse', () => {
  test('every route in the authorization matrix has a fuzz entry', () => {
    const fuzzed = new Set(Object.keys(fuzzTable(ids)));
    const missing = Object.entries(routeTable)
      .filter(([key, e]) => e.kind !== 'socket' && !fuzzed.has(key))
      .map(([key]) => `route without a fuzz entry: ${key}`);
    expect(missing).toEqual([]);
  });

  const routeKeys = Object.keys(routeTable).filter((k) => routeTable[k]!.kind !== 'socket');

  test.each(routeKeys)('%s', async (key) => {
    const spec = fuzzTable(ids)[key];
    if (!spec) throw new Error(`route without a fuzz entry: ${key}`);
    const input: fc.Arbitrary<Input> = fc.record({
      path: spec.path ? fc.record(spec.path(ids)) : fc.constant({}),
      query: spec.query ?? fc.constant(undefined),
      body: spec.body ?? fc.constant(undefined),
    });
    await checkRoute(key, spec, input, []);
  });

  // Issue 12's findings, each route's known hostile inputs, kept apart so they never hide a random finding.
  test.each(routeKeys.filter((k) => fuzzTable(placeholderIds)[k]?.examples))('%s: known hostile inputs', async (key) => {
    const spec = fuzzTable(ids)[key]!;
    const examples = spec.examples!(ids).map((e): [Input] => [{ path: e.path ?? {}, query: e.query, body: e.body }]);
    await checkRoute(key, spec, fc.constant(examples[0]![0]), examples);
  });
});

async function checkRoute(key: string, spec: FuzzSpec, input: fc.Arbitrary<Input>, examples: [Input][]) {
  const property = fc.asyncProperty(input, async (i) => {
    const auth = await credentials(spec);
    const before = await tableDigest(w.db, watchedTables);
    const started = performance.now();
    const res = await send(key, spec, i, auth);
    const ms = Math.round(performance.now() - started);
    if (res === 'timeout') throw new Error(`no answer within ${budgetMs} ms`);
    if (res.statusCode >= 500) throw new Error(`answered ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (ms > budgetMs) throw new Error(`answered ${res.statusCode} after ${ms} ms (budget ${budgetMs} ms: the event loop was blocked)`);
    if (res.statusCode >= 400) {
      const changed = changedTables(before, await tableDigest(w.db, watchedTables));
      if (changed.length) throw new Error(`refused with ${res.statusCode} ${res.body.slice(0, 160)} but changed ${changed.join(', ')}`);
    }
  });
  const run = await fc.check(property, { seed, numRuns: examples.length ? examples.length : numRuns, endOnFailure: true, examples });
  if (run.failed) {
    const error = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
    const [i] = run.counterexample ?? [];
    throw new Error(`${key}: ${error}\n  input: path ${JSON.stringify(i?.path)} query ${i?.query ?? '-'} body ${show(i?.body)}\n  replay: FUZZ_SEED=${run.seed} (run ${run.numRuns})`);
  }
}

describe('sockets never fail with a server error on any first or later message', () => {
  test.each(Object.keys(socketSchemas))('%s', async (path) => {
    const schema = socketSchemas[path]!;
    const frameOf = fc.oneof(
      { weight: 4, arbitrary: arbitraryOf(schema).map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 2, arbitrary: fc.constantFrom(...hostileStrings.filter((s) => s.length < 9_000), 'x'.repeat(9_000), '{"type":"auth"}', '{"type":"subscribe","cursor":0}') },
      // A valid auth frame first, so the later frames meet an authenticated socket.
      { weight: 3, arbitrary: fc.constant(path === '/widget/socket' ? JSON.stringify({ type: 'auth', sessionToken: chat.customerToken }) : JSON.stringify({ type: 'auth', token: w.people.agent.token })) },
    );
    const property = fc.asyncProperty(fc.array(frameOf, { minLength: 1, maxLength: 3 }), async (frames) => {
      const { answer, socket } = await trySocket(w, path, frames, 150);
      socket.terminate();
      if (answer === '1011' || answer === '1006') throw new Error(`closed with ${answer} (server error)`);
    });
    const run = await fc.check(property, { seed, numRuns, endOnFailure: true });
    if (run.failed) {
      const error = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
      throw new Error(`${path}: ${error}\n  frames: ${show(run.counterexample?.[0])}\n  replay: FUZZ_SEED=${run.seed}`);
    }
  });
});

// Issue 12 item 13 / 14: "refuse it or keep it exactly". A write that is accepted stores the very text sent.
describe('an accepted write stores the text exactly as sent', () => {
  const text = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...hostileStrings.filter((s) => s.length <= 4000 && s.trim() !== '')) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  );
  const lone = ['x\uDC00y', '\uD800'];

  type Write = (value: string) => Promise<{ accepted: boolean; stored?: string; answer: string }>;
  const writes: Record<string, Write> = {
    'push addComment (ticket comment body)': async (value) => {
      const commentId = randomUUID();
      const args = { commentId, ticketId: ids.ticket, kind: 'internal', body: value };
      const res = await w.inject({ method: 'POST', url: '/sync/push', headers: w.people.agent.auth, payload: { clientId: randomUUID(), mutations: [{ id: 1, name: 'addComment', args, createdAt: Date.now() }] } });
      const applied = res.statusCode === 200 && res.json<{ results: { status: string }[] }>().results[0]?.status === 'applied';
      const { rows } = await w.db.query<{ body: string }>('select body from ticket_comments where id = $1', [commentId]);
      return { accepted: applied, stored: rows[0]?.body, answer: `${res.statusCode} ${res.body.slice(0, 120)}` };
    },
    'POST /chat/conversations/:id/messages (note body)': async (value) => {
      const id = randomUUID();
      const res = await w.inject({ method: 'POST', url: `/chat/conversations/${ids.conversation}/messages`, headers: w.people.agent.auth, payload: { id, kind: 'note', body: value } });
      const { rows } = await w.db.query<{ body: string }>('select body from chat_messages where id = $1', [id]);
      return { accepted: res.statusCode < 300, stored: rows[0]?.body, answer: `${res.statusCode} ${res.body.slice(0, 120)}` };
    },
    'POST /quick-replies (title and body)': async (value) => {
      const res = await w.inject({ method: 'POST', url: '/quick-replies', headers: w.people.agent.auth, payload: { category: 'Fuzz', shortcut: `f${randomUUID().slice(0, 8)}`, title: value, bodies: { en: value } } });
      if (res.statusCode >= 300) return { accepted: false, answer: `${res.statusCode} ${res.body.slice(0, 120)}` };
      const { rows } = await w.db.query<{ title: string; bodies: { en: string } }>('select title, bodies from quick_replies where id = $1', [res.json<{ id: string }>().id]);
      const stored = rows[0]!.title === rows[0]!.bodies.en ? rows[0]!.title : `${rows[0]!.title} / ${rows[0]!.bodies.en}`;
      return { accepted: true, stored, answer: `${res.statusCode}` };
    },
  };

  test.each(Object.keys(writes))('%s', async (name) => {
    const property = fc.asyncProperty(text, async (value) => {
      const r = await writes[name]!(value);
      if (r.answer.startsWith('5')) throw new Error(`answered ${r.answer}`);
      if (r.accepted && r.stored !== value) throw new Error(`accepted (${r.answer}) but stored ${show(r.stored)} instead of ${show(value)}`);
    });
    const run = await fc.check(property, { seed, numRuns, endOnFailure: true, examples: lone.map((s): [string] => [s]) });
    if (run.failed) {
      const error = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
      throw new Error(`${name}: ${error}\n  text: ${show(run.counterexample?.[0])}\n  replay: FUZZ_SEED=${run.seed}`);
    }
  });
});
