import { segmentMessage } from '../../../core/chat/safeText';
import { type Locale, locales, matchLocale } from '../../../core/locale';
import type { Message } from '../../../core/wire/chat';
import type { CustomerEvent, WidgetConversation, WidgetSession, WidgetSocketServerMessage } from '../../../core/wire/chatWidget';
import { isQuotaCode, languageNames, type MessageKey, quotaNotice, topics, translator } from './messages';

/**
 * The customer chat widget: vanilla DOM, no framework. Every piece of customer or agent text enters
 * the page through textContent (the `h` helper has no other way in), links only as https anchors from
 * segmentMessage. The session survives a reload (sessionStorage); messages carry client ids, so a send
 * retried after a network error is stored once; the socket resumes from the last cursor it saw.
 */

type Store = { token: string; conversationId: string; language: Locale };
const storeKey = 'switchboard.widget';
const root = document.getElementById('widget')!;

let locale: Locale = matchLocale(navigator.languages);
let t = translator(locale);
let session: Store | null = readStore();
let cursor = 0;
let state: WidgetConversation['state'] = 'queued';
let agentName: string | null = null;
let agentReadSeq = 0;
let surveyAnswered = false;
const messages = new Map<string, Message>();
const pending = new Map<string, string>();
let socket: WebSocket | null = null;
let retryMs = 500;

/** crypto.randomUUID exists only in secure contexts; a widget opened over plain http on a LAN still needs ids. */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type Attrs = Record<string, string>;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

function readStore(): Store | null {
  try {
    const raw = sessionStorage.getItem(storeKey);
    return raw ? (JSON.parse(raw) as Store) : null;
  } catch {
    return null;
  }
}

/** A refusal from the server: its machine code (core/wire/auth.ts ApiErrorCode) and Retry-After, if any. */
class ApiRefusal extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly retryAfter: number | null,
  ) {
    super(message);
  }
}

async function api<T>(path: string, body?: unknown, method = 'POST'): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined as T;
  const json = (await res.json()) as T & { error?: { code?: string; message: string } };
  if (!res.ok) throw new ApiRefusal(json.error?.message ?? `HTTP ${res.status}`, json.error?.code, Number(res.headers.get('retry-after')) || null);
  return json;
}

function showError(text: string) {
  const el = document.querySelector('[data-testid="widget-error"]');
  if (el) el.textContent = text;
}

/** A quota refusal in the customer's language; anything else as before, with the server's reason. */
function showFailure(err: Error) {
  if (err instanceof ApiRefusal && isQuotaCode(err.code)) showError(quotaNotice(t, err.code, err.retryAfter));
  else if (err instanceof ApiRefusal && err.code === 'blocked') showError(t('blocked'));
  else showError(t('failed', { reason: err.message }));
}

function setLocale(next: Locale) {
  locale = next;
  t = translator(next);
  document.documentElement.lang = next;
  document.title = t('title');
}

function header(sub: string) {
  return h('header', {}, h('h1', {}, t('title')), h('p', { 'data-testid': 'widget-status', role: 'status' }, sub));
}

function renderStart() {
  const language = h('select', { 'data-testid': 'widget-language', name: 'language' });
  for (const l of locales) language.append(h('option', l === locale ? { value: l, selected: '' } : { value: l }, languageNames[l]));
  language.addEventListener('change', () => {
    setLocale(language.value as Locale);
    renderStart();
  });
  const topic = h('select', { 'data-testid': 'widget-product', name: 'product' });
  for (const p of topics) topic.append(h('option', { value: p }, t(`topic.${p}` as MessageKey)));
  const name = h('input', { 'data-testid': 'widget-name', name: 'name', maxlength: '100', autocomplete: 'name' });
  const form = h(
    'form',
    { class: 'start', 'data-testid': 'widget-start-form' },
    h('p', {}, t('intro')),
    h('label', {}, t('name'), name),
    h('label', {}, t('language'), language),
    h('label', {}, t('topic'), topic),
    h('button', { type: 'submit', 'data-testid': 'widget-start' }, t('start')),
    h('p', { class: 'error', role: 'alert', 'data-testid': 'widget-error' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const product = topic.value === 'general' ? undefined : topic.value;
    api<WidgetSession>('/widget/sessions', { name: name.value || undefined, language: locale, product }).then(
      (s) => {
        session = { token: s.sessionToken, conversationId: s.conversationId, language: s.language };
        sessionStorage.setItem(storeKey, JSON.stringify(session));
        void resume();
      },
      (err: Error) => showFailure(err),
    );
  });
  root.replaceChildren(header(t('intro')), form);
}

function messageNode(m: Message): HTMLElement {
  const side = m.author === 'customer' ? 'customer' : m.author === 'agent' ? 'agent' : 'system';
  const el = h('div', { class: `msg ${side}`, 'data-testid': 'widget-message', 'data-author': side, 'data-seq': String(m.seq) });
  if (side === 'agent') el.append(h('span', { class: 'who', 'data-testid': 'widget-message-agent' }, m.authorName ?? t('agent')));
  const body = h('span', { 'data-testid': 'widget-message-body' });
  // System lines are written in English on the server; the customer reads them in the widget's language.
  const localized = m.kind === 'event' && m.eventCode && !m.eventCode.startsWith('voice') ? t(`event.${m.eventCode}` as MessageKey) : null;
  if (localized) {
    body.textContent = localized;
    el.append(body);
    return el;
  }
  for (const seg of segmentMessage(m.body).segments) {
    // Only https becomes a link; the host is what the customer typed, the href what the parser normalized.
    if (seg.kind === 'link' && seg.href.startsWith('https:')) body.append(h('a', { href: seg.href, rel: 'noopener noreferrer', target: '_blank' }, seg.text));
    else body.append(document.createTextNode(seg.text));
  }
  el.append(body);
  return el;
}

function renderChat() {
  const status = state === 'closed' ? t('ended') : agentName ? t('withAgent', { name: agentName }) : t('waiting');
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'data-testid': 'widget-messages' });
  const sorted = [...messages.values()].sort((a, b) => a.seq - b.seq);
  for (const m of sorted) log.append(messageNode(m));
  for (const [id, body] of pending) {
    if (messages.has(id)) continue;
    log.append(h('div', { class: 'msg customer pending', 'data-testid': 'widget-message-pending' }, body, h('span', { class: 'sr-only' }, t('sending'))));
  }
  const lastMine = sorted.filter((m) => m.author === 'customer').pop();
  if (lastMine && lastMine.seq <= agentReadSeq) log.append(h('span', { class: 'receipt', 'data-testid': 'widget-read-receipt' }, t('read')));
  const parts: Node[] = [header(status), log, h('div', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'widget-typing' })];
  if (state !== 'closed') parts.push(composer());
  else if (!surveyAnswered) parts.push(survey());
  else parts.push(h('p', { class: 'tools', 'data-testid': 'widget-survey-thanks' }, t('thanks')), newChatButton());
  parts.push(h('p', { class: 'error', role: 'alert', 'data-testid': 'widget-error' }));
  const focused = document.activeElement?.getAttribute('data-testid');
  const draft = (document.querySelector('[data-testid="widget-input"]') as HTMLTextAreaElement | null)?.value ?? '';
  root.replaceChildren(...parts);
  const input = document.querySelector<HTMLTextAreaElement>('[data-testid="widget-input"]');
  if (input) input.value = draft;
  if (focused) document.querySelector<HTMLElement>(`[data-testid="${focused}"]`)?.focus();
  log.scrollTop = log.scrollHeight;
  markRead();
}

function newChatButton() {
  const again = h('button', { type: 'button', class: 'secondary', 'data-testid': 'widget-new-chat' }, t('newChat'));
  again.addEventListener('click', () => {
    sessionStorage.removeItem(storeKey);
    location.reload();
  });
  return again;
}

let typingSent = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
function composer(): HTMLElement {
  const input = h('textarea', { 'data-testid': 'widget-input', 'aria-label': t('message'), maxlength: '4000', rows: '2' });
  const send = h('button', { type: 'submit', 'data-testid': 'widget-send' }, t('send'));
  const form = h('form', { class: 'composer' }, input, send);
  input.addEventListener('input', () => {
    if (Date.now() - typingSent > 3000) {
      typingSent = Date.now();
      void api('/widget/typing', { typing: true }).catch(() => undefined);
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      typingSent = 0;
      void api('/widget/typing', { typing: false }).catch(() => undefined);
    }, 4000);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = input.value;
    if (!body.trim()) return;
    input.value = '';
    // A sent message ends "typing" on the agent's side; the next keystroke must announce it again at once
    // instead of waiting out the 3 s throttle of the typing that came before the send.
    clearTimeout(typingTimer);
    typingSent = 0;
    const id = uuid();
    pending.set(id, body);
    renderChat();
    void deliver(id, body);
  });
  const file = h('input', { type: 'file', 'data-testid': 'widget-file', 'aria-label': t('attach'), accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain' });
  file.addEventListener('change', () => void attach(file));
  const end = h('button', { type: 'button', class: 'secondary', 'data-testid': 'widget-end' }, t('end'));
  end.addEventListener('click', () => void api('/widget/close', {}).then(resume, (err: Error) => showError(t('failed', { reason: err.message }))));
  return h('div', {}, form, h('div', { class: 'tools' }, h('label', {}, t('attach'), file), end));
}

/** Retries with the same id until the server answers: the id makes a retry harmless. */
async function deliver(id: string, body: string): Promise<void> {
  for (let wait = 1000; ; wait = Math.min(wait * 2, 30_000)) {
    try {
      const m = await api<Message>('/widget/messages', { id, body });
      pending.delete(id);
      messages.set(m.id, m);
      renderChat();
      return;
    } catch (err) {
      if (!(err instanceof TypeError)) {
        pending.delete(id);
        renderChat();
        // A message refused for a quota goes back into the box, so waiting costs the customer no retyping.
        const input = document.querySelector<HTMLTextAreaElement>('[data-testid="widget-input"]');
        if (err instanceof ApiRefusal && isQuotaCode(err.code) && input && !input.value) input.value = body;
        showFailure(err as Error);
        return;
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

async function attach(input: HTMLInputElement) {
  const f = input.files?.[0];
  if (!f) return;
  if (f.size > 5 * 1024 * 1024) return showError(t('tooLarge'));
  const bytes = new Uint8Array(await f.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  try {
    const m = await api<Message>('/widget/attachments', { id: uuid(), name: f.name, mime: f.type || 'text/plain', dataBase64: btoa(binary) });
    messages.set(m.id, m);
    renderChat();
  } catch (err) {
    showFailure(err as Error);
  }
}

function survey(): HTMLElement {
  const field = (key: 'liked' | 'disliked' | 'improve') => h('label', {}, t(key), h('textarea', { name: key, 'data-testid': `widget-survey-${key}`, maxlength: '2000', rows: '2' }));
  const scores = h('div', { class: 'scores' });
  for (let n = 1; n <= 5; n++) {
    scores.append(h('label', {}, h('input', { type: 'radio', name: 'score', value: String(n), required: '', 'data-testid': `widget-survey-score-${n}` }), String(n)));
  }
  const form = h(
    'form',
    { class: 'survey', 'data-testid': 'widget-survey' },
    h('h2', {}, t('surveyTitle')),
    field('liked'),
    field('disliked'),
    field('improve'),
    h('fieldset', {}, h('legend', {}, t('score')), scores),
    h('button', { type: 'submit', 'data-testid': 'widget-survey-submit' }, t('submit')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? '');
    api('/widget/survey', { liked: text('liked'), disliked: text('disliked'), improve: text('improve'), score: Number(data.get('score')) }).then(
      () => {
        surveyAnswered = true;
        renderChat();
      },
      (err: Error) => showError(t('failed', { reason: err.message })),
    );
  });
  return form;
}

let readSent = 0;
function markRead() {
  if (document.visibilityState !== 'visible') return;
  const top = Math.max(0, ...[...messages.values()].filter((m) => m.author !== 'customer').map((m) => m.seq));
  if (top > readSent) {
    readSent = top;
    void api('/widget/read', { upToSeq: top }).catch(() => undefined);
  }
}
document.addEventListener('visibilitychange', markRead);

function apply(event: CustomerEvent) {
  if (event.cursor !== null) cursor = Math.max(cursor, event.cursor);
  const typing = document.querySelector('[data-testid="widget-typing"]');
  switch (event.type) {
    case 'message':
      messages.set(event.message.id, event.message);
      pending.delete(event.message.id);
      if (typing) typing.textContent = '';
      break;
    case 'typing':
      if (typing) typing.textContent = event.typing ? t('typing', { name: event.agentName ?? t('agent') }) : '';
      return;
    case 'read':
      agentReadSeq = Math.max(agentReadSeq, event.upToSeq);
      break;
    case 'state':
      state = event.state;
      agentName = event.agentName;
      break;
  }
  renderChat();
}

function connect() {
  if (!session) return;
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/widget/socket`);
  socket = ws;
  ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', sessionToken: session!.token, cursor })));
  ws.addEventListener('message', (e) => {
    const msg = JSON.parse(String(e.data)) as WidgetSocketServerMessage;
    retryMs = 500;
    if (msg.type === 'event') apply(msg.event);
  });
  ws.addEventListener('close', (e) => {
    if (socket !== ws) return;
    if (e.code === 4401) {
      sessionStorage.removeItem(storeKey);
      session = null;
      return renderStart();
    }
    showError(t('offline'));
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15_000);
  });
}

async function resume() {
  if (!session) return renderStart();
  setLocale(session.language);
  try {
    const conv = await api<WidgetConversation>('/widget/conversation', undefined, 'GET');
    for (const m of conv.messages) messages.set(m.id, m);
    state = conv.state;
    agentName = conv.agentName;
    agentReadSeq = conv.agentReadSeq;
    surveyAnswered = conv.surveyAnswered;
    cursor = Math.max(cursor, conv.cursor);
  } catch {
    sessionStorage.removeItem(storeKey);
    session = null;
    return renderStart();
  }
  renderChat();
  if (!socket) connect();
}

setLocale(session?.language ?? locale);
void resume();
