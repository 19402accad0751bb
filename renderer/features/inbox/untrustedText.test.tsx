// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../../core/wire/chat';
import { translator } from '../../i18n/i18n';
import type { CachedConversation } from '../../services/db/chatRows';
import type { ChatServices } from '../../services/chat/chatPart';
import { ConversationList } from './ConversationList';
import { ConversationView, MessageRow } from './ConversationView';
import { MessageText } from './MessageText';

/**
 * Issue 12 item 14: a customer name "invoice" + RLO + "gpj.exe" read as "invoiceexe.jpg" in the inbox row,
 * the conversation header, the author line and the ticket; a link to https://аpple.com/login (Cyrillic а)
 * read as apple.com. Names go through the same policy as bodies: the control is removed (logical order,
 * "invoicegpj.exe") and a visible marker says so; a confusable link shows its real punycode host.
 */
const RLO = '\u202E';
const spoofed = `invoice${RLO}gpj.exe`;
const t = translator('en');
const flagLabel = t('text.flag.hidden');

afterEach(cleanup);
beforeAll(() => {
  // jsdom lays nothing out; the virtualized list needs a viewport to render its rows.
  for (const [name, value] of [['clientHeight', 600], ['clientWidth', 400], ['offsetHeight', 600], ['offsetWidth', 400]] as const) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
});

const conversation: CachedConversation = {
  id: '11111111-1111-4111-8111-111111111111', ticketId: 't1', ticketNumber: 1042, channel: 'email', customerId: 'c1', customerName: spoofed,
  queueId: '22222222-2222-4222-8222-222222222222', teamId: 'team-a', assigneeId: 'u1', assigneeName: 'Anna', offeredToId: null, offerExpiresAt: null,
  state: 'active', language: 'en', country: null, product: null, subject: 'Order', createdAt: 1, lastMessageAt: 2, lastSeq: 1, unreadForAgent: 0,
  customerReadSeq: 0, slaDueAt: null, closedAt: null, assigneeKey: 'u1',
};
const message: Message = {
  id: '33333333-3333-4333-8333-333333333333', conversationId: conversation.id, seq: 1, author: 'customer', authorId: null, authorName: spoofed,
  kind: 'text', body: 'See https://аpple.com/login and https://münchen.de/', attachment: null, eventCode: null, createdAt: 3, readAt: null,
};

function expectNeutralized(element: HTMLElement) {
  expect(element.textContent).not.toContain(RLO);
  expect(element.textContent).toContain('invoicegpj.exe');
  expect(within(element).getByRole('img', { name: flagLabel })).toBeTruthy();
}

describe('issue 12 item 14 (spoofed names and links)', () => {
  it('issue 12 item 14: the inbox row shows the name without the RLO reordering, flagged', async () => {
    render(<ConversationList rows={[conversation]} selectedId={null} now={10} locale="en" t={t} onOpen={() => {}} />);
    expectNeutralized(await screen.findByTestId('conversation-row'));
  });

  it('issue 12 item 14: the author line shows the name without the RLO reordering, flagged', () => {
    render(
      <ol>
        <MessageRow m={message} readByCustomer={false} t={t} locale="en" openLink={async () => false} fetchFile={async () => new Blob()} />
      </ol>,
    );
    expectNeutralized(screen.getByTestId('chat-message-author'));
  });

  it('issue 12 item 14: the conversation header shows the name without the RLO reordering, flagged', async () => {
    const chat = {
      user: { id: 'u1', username: 'anna', displayName: 'Anna', role: 'agent', teams: [{ id: 'team-a', name: 'A' }], language: 'en', extension: null },
      offline: false,
      repo: { conversation: async () => conversation, messages: async () => [message], pendingFor: async () => [], history: async () => [] },
      service: { open: async () => undefined, markRead: () => undefined },
      openLink: async () => false,
      attachments: { fetchFile: async () => new Blob(), send: async () => undefined },
    } as unknown as ChatServices;
    render(
      <ConversationView chat={chat} conversationId={conversation.id} index={null} customerTyping locale="en" t={t} onOpenTicket={() => {}} onOpenConversation={() => {}} />,
    );
    expectNeutralized(await screen.findByTestId('conversation-customer'));
    expect(screen.getByTestId('conversation-view').getAttribute('aria-label')).toBe('invoicegpj.exe');
    expect(screen.getByTestId('customer-typing').textContent).not.toContain(RLO);
  });

  it('issue 12 item 14: a link whose host mixes scripts shows its real punycode host; an ordinary IDN host does not', () => {
    render(<MessageText text={message.body} t={t} openLink={async () => false} />);
    const [apple, munich] = screen.getAllByTestId('chat-link');
    expect(apple!.textContent).toContain('https://аpple.com/login');
    expect(within(apple!).getByTestId('chat-link-host').textContent).toContain('xn--pple-43d.com');
    expect(within(munich!).queryByTestId('chat-link-host')).toBeNull();
  });
});
