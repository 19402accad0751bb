import { liveQuery } from 'dexie';
import type { Api } from '../../services/api/api';
import { createChatRepo, type ChatRepo } from '../../services/db/chatRepo';
import { createChatService, type ChatService } from '../../services/chat/chatService';
import type { SocketLike } from '../../services/chat/chatSocket';
import { type AttachmentClient, createAttachmentClient } from '../../services/chat/attachmentClient';
import { createCallReportsRepo } from '../../services/db/callReports';
import { createRepliesRepo, type RepliesRepo } from '../../services/db/repliesRepo';
import { CacheDb, cacheDbName } from '../../services/db/cacheDb';
import { OutboxDb, outboxDbName } from '../../services/db/outboxDb';
import type { Host } from '../../services/host/host';
import type { AppStore } from '../../stores/appStore';
import type { User } from '../../../core/wire/auth';

export type ChatServices = {
  user: User;
  offline: boolean;
  repo: ChatRepo;
  replies: RepliesRepo;
  service: ChatService;
  /** Agent uploads (online only) and authenticated file fetches for thumbnails and downloads. */
  attachments: AttachmentClient;
  /** The only way a link in a message leaves the app: the host's allow-listed external opener. */
  openLink(href: string): Promise<boolean>;
};

export type ChatSessionDeps = { store: AppStore; api: Api; host: Host; baseUrl: string; win?: Window; log?: (line: string) => void };

/** How long a customer "is typing" shows without a fresh event (a lost "stopped" must not stick). */
const typingTtlMs = 6_000;

function openSocket(baseUrl: string, path: string): SocketLike {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url);
  const socket: SocketLike = { onopen: null, onmessage: null, onclose: null, onerror: null, send: (d) => ws.send(d), close: () => ws.close() };
  ws.onopen = (ev) => socket.onopen?.(ev);
  ws.onmessage = (ev) => socket.onmessage?.({ data: ev.data });
  ws.onerror = (ev) => socket.onerror?.(ev);
  ws.onclose = (ev) => socket.onclose?.({ code: ev.code });
  return socket;
}

/** A short tone for a new chat offer (Web Audio: no sound file to ship, and it works in both hosts). */
function chime(win: Window): void {
  try {
    const ctx = new (win as Window & typeof globalThis).AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.6);
    osc.onended = () => void ctx.close();
  } catch {
    // No audio device (or autoplay blocked): the banner and the notification still show.
  }
}

/**
 * Runs chat for whoever is signed in, like the tickets' sync session: the user's own cache and outbox
 * (same databases, chat tables), the realtime socket, presence on the server, and the ephemeral state
 * (offers, typing, unread badge) fed into the store.
 */
export function createChatSession(deps: ChatSessionDeps) {
  const win = deps.win ?? window;
  const log = deps.log ?? ((line: string) => console.warn(line));
  let snapshot: ChatServices | null = null;
  const listeners = new Set<() => void>();
  let teardown: (() => void) | null = null;
  let currentKey: string | null = null;

  function publish(next: ChatServices | null) {
    snapshot = next;
    for (const l of listeners) l();
  }

  function stop() {
    teardown?.();
    teardown = null;
  }

  function start(user: User, offline: boolean) {
    stop();
    const cache = new CacheDb(`${cacheDbName}-${user.id}`);
    const outbox = new OutboxDb(`${outboxDbName}-${user.id}`);
    const repo = createChatRepo(cache, outbox);
    const replies = createRepliesRepo(cache, outbox);
    const calls = createCallReportsRepo(outbox);
    const store = deps.store;
    let unreadTimer: number | null = null;
    const refreshUnread = () => {
      if (unreadTimer !== null) return;
      unreadTimer = win.setTimeout(() => {
        unreadTimer = null;
        repo
          .counts(user.id)
          .then((c) => store.getState().setInboxUnread(c.unread))
          .catch((err: unknown) => log(`[chat] unread count failed: ${String(err)}`));
      }, 100);
    };
    const service = createChatService({
      userId: user.id,
      repo,
      replies,
      calls,
      http: { getJson: (p) => deps.api.getJson(p), postJson: (p, b) => deps.api.postJson(p, b), deleteJson: (p) => deps.api.deleteJson(p), accessToken: () => deps.api.accessToken() },
      openSocket: offline ? null : (path) => openSocket(deps.baseUrl, path),
      newId: () => crypto.randomUUID(),
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        const id = win.setTimeout(fn, ms);
        return () => win.clearTimeout(id);
      },
      log,
      delegate: {
        onConnected: (connected) => store.getState().setChatConnected(connected),
        onOffer(conversation, expiresAt) {
          const known = store.getState().chatOffers.some((o) => o.conversationId === conversation.id);
          store.getState().addChatOffer({ conversationId: conversation.id, customerName: conversation.customerName, channel: conversation.channel, language: conversation.language, expiresAt });
          if (known) return;
          chime(win);
          deps.host
            .notify({ title: 'Switchboard', body: conversation.customerName.slice(0, 200), tag: `chat-offer-${conversation.id}` })
            .catch(() => {
              // Notifications blocked: the banner in the app is the offer.
            });
        },
        onOfferGone: (id) => store.getState().removeChatOffer(id),
        onCustomerTyping: (id, typing) => store.getState().setCustomerTyping(id, typing ? Date.now() + typingTtlMs : null),
        onChanged: refreshUnread,
      },
    });
    const onOnline = () => service.nudge();
    win.addEventListener('online', onOnline);
    const unResume = deps.host.on('power:resumed', onOnline);
    // Presence goes to the server (routing offers chats only to `available`) whenever the agent changes it.
    // Posts are chained so the server sees changes in the order the agent made them (a quick offline →
    // available at sign-in must not arrive reversed).
    let lastPresence = store.getState().presence;
    let presenceChain = service.setPresence(lastPresence);
    const unPresence = store.subscribe((s) => {
      if (s.presence === lastPresence) return;
      lastPresence = s.presence;
      const presence = s.presence;
      presenceChain = presenceChain.then(() => service.setPresence(presence));
    });
    service.start();
    refreshUnread();
    // The phone logs a finished call into this same outbox database (through its own connection); Dexie's
    // live query sees that write, and the report goes out at once instead of at the next reconnect.
    const callsWatch = liveQuery(() => calls.pendingCount()).subscribe({
      next: (n) => {
        if (n > 0) void service.sendCallReports();
      },
      error: (err: unknown) => log(`[chat] call reports not watched: ${String(err)}`),
    });
    teardown = () => {
      callsWatch.unsubscribe();
      win.removeEventListener('online', onOnline);
      unResume();
      unPresence();
      service.stop();
      if (unreadTimer !== null) win.clearTimeout(unreadTimer);
      cache.close();
      outbox.close();
      store.getState().setChatConnected(false);
      store.getState().setInboxUnread(0);
    };
    const openLink = async (href: string) => {
      try {
        await deps.host.openLink(href);
        return true;
      } catch (err) {
        log(`[chat] link refused: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    };
    const attachments = createAttachmentClient({ baseUrl: deps.baseUrl, postJson: (p, b) => deps.api.postJson(p, b), accessToken: () => deps.api.accessToken() });
    publish({ user, offline, repo, replies, service, attachments, openLink });
  }

  function onStore() {
    const { user, status, offline } = deps.store.getState();
    const key = user && status === 'signed-in' ? `${user.id}:${offline ? 'offline' : 'online'}` : null;
    if (key === currentKey) return;
    currentKey = key;
    if (user && key) start(user, offline);
    else {
      stop();
      publish(null);
    }
  }
  const unsubscribeStore = deps.store.subscribe(onStore);
  onStore();

  return {
    getSnapshot: () => snapshot,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      unsubscribeStore();
      stop();
    },
  };
}
export type ChatSession = ReturnType<typeof createChatSession>;
