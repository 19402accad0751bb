import type { ComponentType, SVGProps } from 'react';
import type { MessageKey } from '../../i18n/i18n';
import type { PageId } from '../../stores/shellSlice';
import { AlarmIcon, ReviewIcon, ChartIcon, InboxIcon, PhoneIcon, RepliesIcon, KeyIcon, SettingsIcon, TeamIcon, TicketIcon, WallboardIcon } from '../../ui/icons';

export const pageMeta: Record<PageId, { label: MessageKey; icon: ComponentType<SVGProps<SVGSVGElement> & { size?: number }> }> = {
  inbox: { label: 'nav.inbox', icon: InboxIcon },
  phone: { label: 'nav.phone', icon: PhoneIcon },
  tickets: { label: 'nav.tickets', icon: TicketIcon },
  replies: { label: 'nav.replies', icon: RepliesIcon },
  team: { label: 'nav.team', icon: TeamIcon },
  wallboard: { label: 'nav.wallboard', icon: WallboardIcon },
  alarms: { label: 'nav.alarms', icon: AlarmIcon },
  kpi: { label: 'nav.kpi', icon: ChartIcon },
  review: { label: 'nav.review', icon: ReviewIcon },
  settings: { label: 'nav.settings', icon: SettingsIcon },
  admin: { label: 'nav.admin', icon: KeyIcon },
};
