import type { WebSocket } from 'ws';
import type { z } from 'zod';
import { SocketAuth } from '../../../core/sync/wire';
import { ChatSocketClientMessage } from '../../../core/wire/chat';
import { WidgetSocketClientMessage } from '../../../core/wire/chatWidget';
import { AlarmSocketAuth } from '../../../core/wire/sla';
import { MoodSocketAuth } from '../../../core/wire/mood';
import { BoardSocketClientMessage } from '../../../core/wire/board';
import { TeamLiveSocketClientMessage } from '../../../core/coaching/wire';
import type { SecurityWorld } from './authzWorld';
import { customerCallers, type CustomerCaller, type Who } from './authzTable';
import { expiredCustomer, queuedChat } from './securityFixtures';

/**
 * Socket messages: each socket route's client-message schema (core/wire), and for every message type
 * the answer each caller gets. Types are read from the zod unions, so a new message type without an
 * entry here fails the matrix.
 *
 * Answers: `ready` / `subscribed` (the server's reply), `4401` / `4408` / `4400` (closed with that code).
 */
export const socketSchemas: Record<string, z.ZodType> = {
  '/sync/poke': SocketAuth,
  '/sync/socket': SocketAuth,
  '/chat/socket': ChatSocketClientMessage,
  '/sla/socket': AlarmSocketAuth,
  '/mood/socket': MoodSocketAuth,
  '/widget/socket': WidgetSocketClientMessage,
  '/board/socket': BoardSocketClientMessage,
  '/coaching/socket': TeamLiveSocketClientMessage,
};

type Def = { type?: string; options?: z.ZodType[]; shape?: Record<string, z.ZodType>; values?: unknown[] };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The `type` literals a client-message schema accepts (object, union or discriminated union of objects). */
export function messageTypes(schema: z.ZodType): string[] {
  const def = defOf(schema);
  if (def.type === 'union') return def.options!.flatMap(messageTypes);
  if (def.type === 'object') {
    const literal = def.shape!.type;
    const values = literal ? defOf(literal).values : undefined;
    if (!values) throw new Error('a socket message without a literal `type`');
    return values.map(String);
  }
  throw new Error(`cannot read message types of a zod ${def.type}`);
}

export type SocketCase = { answers: string; frames: (w: SecurityWorld, caller: string) => Promise<string[]> };

const tokenOf = (w: SecurityWorld, caller: Who): string | null => {
  if (caller === 'none') return null;
  if (caller === 'garbage') return 'garbage.garbage.garbage';
  return w.people[caller].token;
};

/** What an agent socket is sent as its first frame; `none` sends nothing (the auth deadline closes it). */
const agentAuth = (w: SecurityWorld, caller: string): string[] => {
  const token = tokenOf(w, caller as Who);
  return token === null ? [] : [JSON.stringify({ type: 'auth', token })];
};

async function customerToken(w: SecurityWorld, caller: CustomerCaller): Promise<string | null> {
  switch (caller) {
    case 'none':
      return null;
    case 'garbage':
      return 'garbage.garbage.garbage';
    case 'expired':
      return (await expiredCustomer(w)).authorization.slice('Bearer '.length);
    case 'otherCustomer':
    case 'customer':
      return (await queuedChat(w)).customerToken;
    case 'agentToken':
      return w.people.agent.token;
  }
}

//                                                          none  garb  out   oAgt  oLd   agt   lead  admin
const agentAuthRow = '                                      4408  4401  4401  ready ready ready ready ready';

export const socketTable: Record<string, SocketCase> = {
  '/sync/poke auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  '/sync/socket auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  '/chat/socket auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  '/sla/socket auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  '/mood/socket auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  // Subscribe before auth is refused; after auth it answers `subscribed`.
  '/chat/socket subscribe': {
    answers: '                                                  4401  4401  4401  subscribed subscribed subscribed subscribed subscribed',
    frames: async (w, c) => [...(c === 'none' ? [] : agentAuth(w, c)), JSON.stringify({ type: 'subscribe', cursor: null })],
  },
  '/board/socket auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  // Watching Team Berlin's board: its lead and admins get the snapshot; agents and another team's lead are refused.
  '/board/socket watch': {
    answers: '                                                  4401  4401  4401  refused refused refused snapshot snapshot',
    frames: async (w, c) => [...(c === 'none' ? [] : agentAuth(w, c)), JSON.stringify({ type: 'watch', teamId: w.berlin })],
  },
  '/coaching/socket auth': { answers: agentAuthRow, frames: async (w, c) => agentAuth(w, c) },
  // The Team page's live view of Team Berlin: its lead and admins get it; agents and another team's lead are refused.
  '/coaching/socket watch': {
    answers: '                                                  4401  4401  4401  refused refused refused live live',
    frames: async (w, c) => [...(c === 'none' ? [] : agentAuth(w, c)), JSON.stringify({ type: 'watch', teamId: w.berlin })],
  },
  //                                                          none  garb  exp   oCus  cust  agentToken
  '/widget/socket auth': {
    answers: '                                                  4408  4401  4401  ready ready 4401',
    frames: async (w, c) => {
      const token = await customerToken(w, c as CustomerCaller);
      return token === null ? [] : [JSON.stringify({ type: 'auth', sessionToken: token, cursor: null })];
    },
  },
};

export const socketCallers = (path: string): readonly string[] => (path === '/widget/socket' ? customerCallers : ['none', 'garbage', 'signedOut', 'otherAgent', 'otherLead', 'agent', 'lead', 'admin']);

export type SocketOutcome = { answer: string; socket: WebSocket };

/**
 * Opens the socket, sends the frames one at a time (the next after each reply: a frame sent while the
 * server is still checking the auth frame has no listener yet), and reports the last reply before the
 * server went quiet, or the close code. The socket is left open when it is still open.
 */
export async function trySocket(w: SecurityWorld, path: string, frames: string[], quietMs = 250): Promise<SocketOutcome> {
  const socket = await w.app.injectWS(path);
  // The injected client does not answer pings by itself; the hubs' heartbeat would cut it off.
  socket.on('ping', () => socket.pong());
  return new Promise((resolve) => {
    let answer = 'silent';
    // Sending nothing waits out the server's auth deadline (300 ms in the security world).
    let timer = setTimeout(() => resolve({ answer, socket }), frames.length ? quietMs : Math.max(quietMs, 800));
    const settle = (a: string, done: boolean) => {
      answer = a;
      clearTimeout(timer);
      if (done) resolve({ answer, socket });
      else timer = setTimeout(() => resolve({ answer, socket }), quietMs);
    };
    socket.on('message', (data: Buffer) => {
      let type = 'unparsable';
      try {
        type = String((JSON.parse(data.toString()) as { type?: unknown }).type);
      } catch {
        // left as unparsable
      }
      // A live SLA alarm pushed after an answer is a broadcast, not the answer to the frame sent: the
      // scanner raises them as the fixtures' timers breach in real time, so a longer run meets more of them.
      if (type === 'alarm' && answer !== 'silent') return;
      settle(type, false);
      const next = queue.shift();
      if (next !== undefined) socket.send(next);
    });
    socket.on('close', (code: number) => settle(String(code), true));
    const queue = [...frames];
    const first = queue.shift();
    if (first !== undefined) socket.send(first);
  });
}

/** Resolves with the close code, or null when the socket is still open after `ms`. */
export function closedWithin(socket: WebSocket, ms: number): Promise<number | null> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    socket.once('close', (code: number) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
