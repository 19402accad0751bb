import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';
import type { Locale } from '../../../core/locale';
import type { Channel } from '../../../core/wire/chat';
import type { Translate } from '../../i18n/i18n';
import type { CachedConversation } from '../../services/db/chatRows';
import { GlobeIcon, MailIcon, PhoneIcon, RepliesIcon } from '../../ui/icons';
import { relativeTime } from '../tickets/format';
import { ShownName } from '../../ui/ShownName';

const rowHeight = 68;

/**
 * The channel as an inline SVG icon: emoji glyphs depended on the machine having a colour-emoji font and
 * showed as empty boxes where it had none (Debian without fonts-noto-color-emoji, many locked-down PCs).
 */
const channelIcons: Record<Channel, (props: { size?: number }) => ReactNode> = { webchat: GlobeIcon, messaging: RepliesIcon, email: MailIcon, voice: PhoneIcon };

export function ChannelIcon({ channel, size = 18 }: { channel: Channel; size?: number }) {
  const Icon = channelIcons[channel];
  return <Icon size={size} />;
}

/** Minutes:seconds (or hours) since `from`, for "waiting" timers that tick every second. */
export function elapsed(from: number, now: number): string {
  const s = Math.max(0, Math.floor((now - from) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

/** Virtualized: only the rows on screen are in the DOM, so 10k conversations scroll like 20. */
export function ConversationList(props: {
  rows: CachedConversation[];
  selectedId: string | null;
  now: number;
  locale: Locale;
  t: Translate;
  onOpen(id: string): void;
}) {
  const { rows, t } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 6 });
  return (
    <div ref={scrollRef} className="conv-list" role="listbox" aria-label={t('inbox.list.label')} data-testid="conversation-list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const c = rows[item.index]!;
          const waitingSince = c.state === 'queued' || c.state === 'offered' ? c.createdAt : c.lastMessageAt;
          const overdue = c.slaDueAt !== null && c.slaDueAt < props.now && c.state !== 'closed';
          return (
            <div
              key={c.id}
              role="option"
              aria-selected={c.id === props.selectedId}
              className={c.id === props.selectedId ? 'conv-row conv-row--selected' : 'conv-row'}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
              data-testid="conversation-row"
              data-id={c.id}
              onClick={() => props.onOpen(c.id)}
            >
              <span className="conv-row__channel" title={t(`inbox.channel.${c.channel}`)} aria-label={t(`inbox.channel.${c.channel}`)}>
                <ChannelIcon channel={c.channel} />
              </span>
              <span className="conv-row__main">
                <ShownName className="conv-row__name" testId="conversation-row-name" text={c.customerName} fallback={t('inbox.customer.anonymous')} flagLabel={t('text.flag.hidden')} />
                {c.subject ? (
                  <span className="conv-row__subject" data-testid="conversation-subject">
                    {c.subject}
                  </span>
                ) : null}
                <span className="conv-row__meta">
                  {t(`inbox.state.${c.state}`)} · {c.language}
                  {c.state !== 'closed' ? ` · ${t('inbox.waiting', { time: elapsed(waitingSince, props.now) })}` : ''}
                </span>
              </span>
              <span className="conv-row__side">
                {c.slaDueAt !== null && c.state !== 'closed' ? (
                  <span className={overdue ? 'conv-row__sla conv-row__sla--overdue' : 'conv-row__sla'}>
                    {overdue ? t('tickets.sla.overdue', { when: relativeTime(props.locale, c.slaDueAt, props.now) }) : t('tickets.sla.due', { when: relativeTime(props.locale, c.slaDueAt, props.now) })}
                  </span>
                ) : null}
                {c.unreadForAgent > 0 ? (
                  <span className="conv-row__unread" data-testid="conversation-unread" aria-label={t('inbox.unread', { count: c.unreadForAgent })}>
                    {c.unreadForAgent}
                  </span>
                ) : null}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
