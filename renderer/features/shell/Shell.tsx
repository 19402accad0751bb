import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState, type ReactNode } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { PageId } from '../../stores/shellSlice';
import { AdminPage } from '../admin/AdminPage';
import { InboxPage } from '../inbox/InboxPage';
import { KpiPage } from '../kpi/KpiPage';
import { ReviewPage } from '../review/ReviewPage';
import { OfferBanner } from '../inbox/OfferBanner';
import { IncomingCallBanner } from '../phone/IncomingCallBanner';
import { QueueCallBanner } from '../queues/QueueCallBanner';
import { PhonePage } from '../phone/PhonePage';
import { RepliesPage } from '../replies/RepliesPage';
import { SettingsPage } from '../settings/SettingsPage';
import { TeamPage } from '../team/TeamPage';
import { AlarmBanner } from '../sla/AlarmBanner';
import { MoodAlertBanner } from '../mood/MoodAlertBanner';
import { AlarmsPage } from '../sla/AlarmsPage';
import { TicketsPage } from '../tickets/TicketsPage';
import { WallboardPage } from '../wallboard/WallboardPage';
import { NavRail } from './NavRail';
import { isEditable, matchShortcut } from './shortcuts';
import { ShortcutsOverlay } from './ShortcutsOverlay';
import { ReadinessDialog } from '../readiness/ReadinessDialog';
import { StatusBar } from './StatusBar';
import './shell.css';

const pages: Record<PageId, () => ReactNode> = {
  inbox: () => <InboxPage />,
  phone: () => <PhonePage />,
  tickets: () => <TicketsPage />,
  replies: () => <RepliesPage />,
  team: () => <TeamPage />,
  wallboard: () => <WallboardPage />,
  alarms: () => <AlarmsPage />,
  kpi: () => <KpiPage />,
  review: () => <ReviewPage />,
  settings: () => <SettingsPage />,
  admin: () => <AdminPage />,
};

/** The signed-in frame: navigation rail, the current page, and the status bar. */
export function Shell() {
  const t = useT();
  const page = useAppStore((s) => s.page);
  const role = useAppStore((s) => s.user?.role);
  const goTo = useAppStore((s) => s.goTo);
  const setPresence = useAppStore((s) => s.setPresence);
  const chat = useAppStore((s) => s.chat);
  // Derived from the cache, never copied into the store: the badge follows every write to the conversations.
  const inboxUnread = useLiveQuery(() => (chat ? chat.repo.unread(chat.user.id) : Promise.resolve(0)), [chat]) ?? 0;
  const missedUnseen = useAppStore((s) => s.phone.missedUnseen);
  const [helpOpen, setHelpOpen] = useState(false);
  const openAlarms = useAppStore((s) => s.alarms.filter((a) => a.acknowledgedAt === null).length);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = matchShortcut({ key: e.key, code: e.code, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, inEditable: isEditable(e.target) });
      if (!action) return;
      e.preventDefault();
      if (action.type === 'go') goTo(action.page);
      else if (action.type === 'presence') setPresence(action.presence);
      else setHelpOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goTo, setPresence]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToMain')}
      </a>
      <NavRail page={page} role={role} badges={{ inbox: inboxUnread, alarms: openAlarms, phone: missedUnseen }} onNavigate={goTo} />
      {/* Incoming work (an SLA alarm, a ringing call, chat offers) takes its own row above the page, never over it:
          the conversation's header and first message stay visible and clickable. */}
      <div className="shell__alerts" data-testid="shell-alerts">
        <AlarmBanner />
        <MoodAlertBanner />
        <IncomingCallBanner />
        <QueueCallBanner />
        <OfferBanner />
      </div>
      <main id="main" className="shell__main" tabIndex={-1} data-page={page}>
        {pages[page]()}
      </main>
      <StatusBar onShowShortcuts={() => setHelpOpen(true)} />
      <ReadinessDialog />
      <ShortcutsOverlay open={helpOpen} hideTeam={role !== 'lead' && role !== 'admin'} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
