import type { Channel, Conversation } from '../../../core/wire/chat';
import type { Locale } from '../../../core/locale';
import type { PresenceChoice } from './chatService';
import type { Api } from '../api/api';
import { createChatRepo, type ChatRepo } from '../db/chatRepo';
import { createCallReportsRepo } from '../db/callReports';
import { createRepliesRepo, type RepliesRepo } from '../db/repliesRepo';
import type { Host } from '../host/host';
import { openBrowserSocket } from '../realtime/browserSocket';
import { callReportsLane, type UserPart } from '../session/userSession';
import type { User } from '../../../core/wire/auth';
import { type AttachmentClient, createAttachmentClient } from './attachmentClient';
import { createChatService, type ChatService } from './chatService';

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

/** A chat offered to this agent: shown prominently until accepted, declined or expired. */
export type ChatOffer = { conversationId: string; customerName: string; channel: Channel; language: Locale; expiresAt: number };

/** Where the chat part reports what is not in Dexie (ephemeral state): the store's inbox slice in the app. */
export type ChatPartDelegate = {
  onServices(services: ChatServices | null): void;
  onConnected(connected: boolean): void;
  /** True when this offer is on screen already (a repeated offer neither chimes nor notifies again). */
  isOfferShown(conversationId: string): boolean;
  onOffer(offer: ChatOffer): void;
  onOfferGone(conversationId: string): void;
  /** `until`: epoch ms until which the customer counts as typing; null: stopped. */
  onCustomerTyping(conversationId: string, until: number | null): void;
  /** The agent's presence now, and every change of it (the server routes offers to `available` agents only). */
  presence(): PresenceChoice;
  onPresenceChange(listener: (presence: PresenceChoice) => void): () => void;
};

export type ChatPartDeps = { api: Api; host: Host; baseUrl: string; delegate: ChatPartDelegate; win?: Window; log?: (line: string) => void };

/** How long a customer "is typing" shows without a fresh event (a lost "stopped" must not stick). */
const typingTtlMs = 6_000;

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
 * Chat for whoever is signed in: the chat tables of the session's cache and outbox, the realtime socket,
 * presence on the server, and the ephemeral state (offers, typing) reported to the delegate. Messages, reply
 * edits and call reports go out through the session's one outbox drainer.
 */
export function createChatPart(deps: ChatPartDeps): UserPart {
  const win = deps.win ?? window;
  const log = deps.log ?? ((line: string) => console.warn(line));
  const { delegate } = deps;
  let teardown: (() => void) | null = null;

  return {
    name: 'chat',
    start({ user, offline, dbs, drainer }) {
      const repo = createChatRepo(dbs.cache, dbs.outbox);
      const replies = createRepliesRepo(dbs.cache, dbs.outbox);
      const service = createChatService({
        userId: user.id,
        repo,
        replies,
        calls: createCallReportsRepo(dbs.outbox),
        drainer,
        http: { getJson: (p) => deps.api.getJson(p), postJson: (p, b) => deps.api.postJson(p, b), deleteJson: (p) => deps.api.deleteJson(p), accessToken: () => deps.api.accessToken() },
        openSocket: offline ? null : (path) => openBrowserSocket(deps.baseUrl, path),
        newId: () => crypto.randomUUID(),
        now: () => Date.now(),
        setTimeout: (fn, ms) => {
          const id = win.setTimeout(fn, ms);
          return () => win.clearTimeout(id);
        },
        log,
        delegate: {
          onConnected: (connected) => delegate.onConnected(connected),
          onOffer(conversation: Conversation, expiresAt) {
            const known = delegate.isOfferShown(conversation.id);
            delegate.onOffer({ conversationId: conversation.id, customerName: conversation.customerName, channel: conversation.channel, language: conversation.language, expiresAt });
            if (known) return;
            chime(win);
            deps.host
              .notify({ title: 'Switchboard', body: conversation.customerName.slice(0, 200), tag: `chat-offer-${conversation.id}` })
              .catch(() => {
                // Notifications blocked: the banner in the app is the offer.
              });
          },
          onOfferGone: (id) => delegate.onOfferGone(id),
          onCustomerTyping: (id, typing) => delegate.onCustomerTyping(id, typing ? Date.now() + typingTtlMs : null),
          // The unread badge is a live query over the cache (features/shell/Shell.tsx): nothing to copy here.
          onChanged: () => {},
        },
      });
      const onOnline = () => service.nudge();
      win.addEventListener('online', onOnline);
      const unResume = deps.host.on('power:resumed', onOnline);
      // Posts are chained so the server sees changes in the order the agent made them (a quick offline →
      // available at sign-in must not arrive reversed).
      let presenceChain = service.setPresence(delegate.presence());
      const unPresence = delegate.onPresenceChange((presence) => {
        presenceChain = presenceChain.then(() => service.setPresence(presence));
      });
      service.start();
      // Calls logged while signed out (or before this start) go out now, not at the next reconnect.
      void drainer.drain(callReportsLane);
      teardown = () => {
        win.removeEventListener('online', onOnline);
        unResume();
        unPresence();
        service.stop();
        delegate.onConnected(false);
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
      delegate.onServices({ user, offline, repo, replies, service, attachments, openLink });
    },
    stop() {
      teardown?.();
      teardown = null;
      delegate.onServices(null);
    },
  };
}
