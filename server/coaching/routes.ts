import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { maxGrantTtlSeconds } from '../../core/coaching/grant';
import {
  type AuditList,
  AuditList as AuditListSchema,
  type GrantResponse,
  GrantRequest,
  HandRequest,
  LiveReport,
  SessionEvent,
  type TeamLive,
  teamLiveSocketPath,
  type VerifyRefusal,
  type VerifyResponse,
  VerifyRequest,
} from '../../core/coaching/wire';
import { getRoster, getTeam, getUser, isTeamMember } from '../accounts/users';
import { recordPresenceChange } from '../kpi/events';
import type { AppContext } from '../http/context';
import { HttpError, badRequest, forbidden, notFound, parseWith } from '../http/errors';
import { chatRoutes as chatPaths } from '../../core/wire/chat';
import type { ChatRuntime } from '../chat/routes';
import { actorOf } from '../http/actor';
import { createGrantSigner } from './grants';
import { createLiveBoard, type LiveBoard } from './live';
import { createTeamLiveHub } from './liveSocket';
import type { WebSocket } from 'ws';
import type { EventRow } from '../chat/store';
import { bindAgent } from '../realtime/bindings';
import type { RealtimeHub } from '../realtime/hub';
import * as store from './store';

export type CoachingOptions = {
  now: () => number;
  /** Chat coaching (takeover) needs the chat service; without it the route is not registered. */
  chat?: ChatRuntime;
  /** Company policy / local law: hide silent listening from the agent. Visible by default. */
  hideListen: boolean;
  /** An agent's app reported a change the wallboard shows (server/board/). */
  onLiveChanged?: (userId: string) => void;
  /** The server's realtime hub: with it, the Team page's live view is pushed over GET /coaching/socket. */
  realtime?: RealtimeHub;
  authDeadlineMs: number;
};

const TeamParams = z.object({ teamId: z.uuid('must be a team id') });
const SessionParams = z.object({ id: z.uuid('must be an id') });
const AuditQuery = z.object({ teamId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

/** A refused grant: 403 with the reason first in the message, so the agent's log says which check failed. */
const refused = (reason: VerifyRefusal) => new HttpError(403, 'forbidden', `${reason}: coaching grant refused`);

export function coachingRoutes(app: FastifyInstance, ctx: AppContext, options: Partial<CoachingOptions> = {}): { board: LiveBoard; onChatEvents(rows: readonly EventRow[]): void } {
  const opts: CoachingOptions = { now: Date.now, hideListen: false, authDeadlineMs: 5000, ...options };
  const { db } = ctx;
  const board = createLiveBoard(opts.now);
  if (!ctx.config.tokenSecret) throw new Error('coaching needs the server token secret');
  const signer = createGrantSigner(ctx.config.tokenSecret);

  const leadOrAdmin = async (teamId: string, claims: { sub: string; role: string }): Promise<void> => {
    if (claims.role === 'agent') throw forbidden('Only team leads and admins can see a team live.');
    if (claims.role === 'lead' && !(await isTeamMember(db, teamId, claims.sub))) throw forbidden('You can only see teams you lead.');
  };

  app.post('/coaching/live', async (request, reply) => {
    const claims = await ctx.authenticate(request);
    const body = parseWith(LiveReport, request.body);
    // The app re-reports every 15 s: only a change (or the first report after a gap or a restart) is worth
    // a write to the presence history, which itself opens a new stretch only when the state differs.
    if (board.report(claims.sub, body.presence, body.call)) {
      opts.onLiveChanged?.(claims.sub);
      liveChanged(claims.sub);
      await recordPresenceChange(db, { userId: claims.sub, teamIds: [...claims.teamIds], state: body.presence, at: new Date(opts.now()) });
    }
    return reply.status(204).send();
  });

  app.post('/coaching/hand', async (request, reply) => {
    const claims = await ctx.authenticate(request);
    const body = parseWith(HandRequest, request.body);
    board.hand(claims.sub, body.raised, body.note);
    liveChanged(claims.sub);
    return reply.status(204).send();
  });

  /** A team's live view: the roster with each agent's reported presence, call, open chats, hand and coach. */
  const readLive = async (teamId: string): Promise<TeamLive | null> => {
    const team = await getTeam(db, teamId);
    if (!team) return null;
    const [roster, chats] = await Promise.all([getRoster(db, team), store.openChatsByAgent(db, teamId)]);
    return {
      team,
      at: opts.now(),
      members: roster.members.map((m) => {
        const live = board.get(m.id);
        return {
          ...m,
          presence: live?.presence ?? 'offline',
          presenceSince: live ? live.presenceSince : null,
          call: live?.call ?? null,
          openChats: chats.get(m.id)?.length ?? 0,
          chats: (chats.get(m.id) ?? []).slice(0, 10),
          hand: live?.hand ?? null,
          coach: live?.coach ?? null,
        };
      }),
    };
  };

  // The Team page's live view is pushed (liveSocket.ts); the GET stays for one-off reads.
  const realtime = opts.realtime;
  const teamLive = realtime
    ? createTeamLiveHub(realtime, {
        authDeadlineMs: opts.authDeadlineMs,
        bindAgent: (token) => bindAgent(db, ctx.tokens, token),
        read: readLive,
        log: (line) => app.log.warn(line),
      })
    : null;
  if (realtime && teamLive) {
    app.addHook('onClose', async () => teamLive.close());
    void app.register(async (scoped) => {
      scoped.get(teamLiveSocketPath, { websocket: true }, (socket: WebSocket) => realtime.serve(socket, teamLive.kind));
    });
  }
  const liveChanged = (userId: string) => {
    if (!teamLive) return;
    db.query<{ team_id: string }>('select team_id from team_members where user_id = $1', [userId])
      .then(({ rows }) => teamLive.changed(rows.map((r) => r.team_id)))
      .catch((err: unknown) => app.log.warn(`team live: change of ${userId}: ${String(err)}`));
  };

  app.get('/coaching/teams/:teamId/live', async (request): Promise<TeamLive> => {
    const claims = await ctx.authenticate(request);
    const { teamId } = parseWith(TeamParams, request.params, 'path');
    await leadOrAdmin(teamId, claims);
    const live = await readLive(teamId);
    if (!live) throw notFound('No such team.');
    return live;
  });

  app.post('/coaching/grants', async (request): Promise<GrantResponse> => {
    const claims = await ctx.authenticate(request);
    const body = parseWith(GrantRequest, request.body);
    if (claims.role !== 'lead') throw forbidden('Only team leads can coach.');
    const teamId = await store.sharedTeam(db, claims.sub, body.agentId);
    if (!teamId) throw forbidden('You can only coach agents of a team you lead.');
    const agent = await getUser(db, body.agentId);
    if (!agent?.extension) throw badRequest('The agent has no phone extension.');
    // Grants are for the call the agent's app says is live now, never for a call id the lead made up.
    if (board.currentCallId(body.agentId) !== body.callId) throw new HttpError(409, 'conflict', 'The agent is not on that call any more.');
    const iat = Math.floor(opts.now() / 1000);
    const ttl = Math.min(body.ttlSeconds ?? maxGrantTtlSeconds, maxGrantTtlSeconds);
    const sessionId = randomUUID();
    const payload = { jti: sessionId, leadId: claims.sub, agentId: body.agentId, teamId, callId: body.callId, iat, exp: iat + ttl };
    await store.insertSession(db, { id: sessionId, leadId: claims.sub, agentId: body.agentId, teamId, callId: body.callId, expiresAt: payload.exp * 1000 });
    return { grant: signer.sign(payload), sessionId, extension: agent.extension, expiresAt: payload.exp * 1000 };
  });

  /** The agent's app, before answering a coaching INVITE. Single use: a second verify of one grant fails. */
  app.post('/coaching/verify', async (request): Promise<VerifyResponse> => {
    const claims = await ctx.authenticate(request);
    const body = parseWith(VerifyRequest, request.body);
    const opened = signer.open(body.grant);
    if (!opened.ok) throw refused(opened.reason);
    const g = opened.payload;
    const refuse = async (reason: VerifyRefusal): Promise<never> => {
      await store.addEvent(db, g.jti, 'refused', null, claims.sub).catch(() => undefined);
      throw refused(reason);
    };
    if (g.agentId !== claims.sub) return refuse('wrong-agent');
    if (g.exp * 1000 < opts.now()) return refuse('expired');
    if (body.callId !== g.callId || board.currentCallId(claims.sub) !== g.callId) return refuse('wrong-call');
    if ((await store.sharedTeam(db, g.leadId, g.agentId)) !== g.teamId) return refuse('not-lead');
    if (!(await store.consumeGrant(db, g.jti))) return refuse('replayed');
    return {
      sessionId: g.jti,
      lead: { id: g.leadId, displayName: await store.displayName(db, g.leadId) },
      callId: g.callId,
      showListen: !opts.hideListen,
    };
  });

  app.post('/coaching/sessions/:id/events', async (request, reply) => {
    const claims = await ctx.authenticate(request);
    const { id } = parseWith(SessionParams, request.params, 'path');
    const event = parseWith(SessionEvent, request.body);
    const s = await store.getSession(db, id);
    if (!s) throw notFound('No such coaching session.');
    if (claims.sub !== s.lead_id && claims.sub !== s.agent_id) throw forbidden('Not your coaching session.');
    if (event.type === 'ended') {
      if (await store.markEnded(db, id, event.reason)) await store.addEvent(db, id, 'ended', null, claims.sub);
      if (board.get(s.agent_id)?.coach?.sessionId === id) {
        board.setCoach(s.agent_id, null);
        liveChanged(s.agent_id);
      }
      return reply.status(204).send();
    }
    if (s.ended_at) throw new HttpError(409, 'conflict', 'The coaching session has ended.');
    if (event.type === 'mode' || (await store.markStarted(db, id))) await store.addEvent(db, id, event.type, event.mode, claims.sub);
    board.setCoach(s.agent_id, { sessionId: id, leadId: s.lead_id, leadName: await store.displayName(db, s.lead_id), mode: event.mode });
    liveChanged(s.agent_id);
    return reply.status(204).send();
  });

  app.get('/coaching/audit', async (request): Promise<AuditList> => {
    const claims = await ctx.authenticate(request);
    const q = parseWith(AuditQuery, request.query, 'query');
    if (claims.role === 'agent') throw forbidden('Only team leads and admins can read the coaching audit.');
    let teams: string[] | 'all' = 'all';
    if (claims.role === 'lead') {
      const me = await getUser(db, claims.sub);
      teams = (me?.teams ?? []).map((t) => t.id).filter((t) => !q.teamId || t === q.teamId);
    } else if (q.teamId) teams = [q.teamId];
    return AuditListSchema.parse({ sessions: await store.auditSessions(db, teams, q.limit) });
  });

  const chat = opts.chat;
  if (chat) {
    // Chat coaching: whispers are lead notes (author 'coach', never sent to the customer, server/chat);
    // taking a chat over is this one route.
    app.post(chatPaths.takeover, async (request) => chat.service.takeover(await actorOf(ctx, request), parseWith(SessionParams, request.params, 'path').id));
  }

  return {
    board,
    /** The chat hub's dispatched events: an offer, an assignment or a conversation change moves an agent's open chats. */
    onChatEvents(rows: readonly EventRow[]) {
      const teamIds = rows.filter((r) => chatChangeTypes.has(r.payload.type)).map((r) => r.team_id);
      if (teamIds.length && teamLive) teamLive.changedHere(teamIds);
    },
  };
}

const chatChangeTypes = new Set(['offer', 'assignment', 'conversation']);
