import { useState } from 'react';
import type { MessageKey } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { KeyIcon } from '../../ui/icons';
import { AuditTab } from './AuditTab';
import { ImportTab } from './ImportTab';
import { PeopleTab } from './PeopleTab';
import { ProvidersTab } from './ProvidersTab';
import { QueuesTab } from './QueuesTab';
import { TeamsTab } from './TeamsTab';
import './admin.css';

const tabs = [
  { id: 'people', label: 'admin.tab.people', adminOnly: false },
  { id: 'teams', label: 'admin.tab.teams', adminOnly: false },
  { id: 'queues', label: 'admin.tab.queues', adminOnly: false },
  { id: 'import', label: 'admin.tab.import', adminOnly: true },
  { id: 'providers', label: 'admin.tab.providers', adminOnly: true },
  { id: 'audit', label: 'admin.tab.audit', adminOnly: true },
] as const satisfies readonly { id: string; label: MessageKey; adminOnly: boolean }[];
type TabId = (typeof tabs)[number]['id'];

/**
 * Administration (issue 16): people, teams, queues, CSV import, providers and the audit. Admins see every
 * tab; a lead sees the people, teams and queues of the teams they lead (the server enforces the same).
 */
export function AdminPage() {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  const service = useAppStore((s) => s.adminService);
  const [tab, setTab] = useState<TabId>('people');
  const isAdmin = role === 'admin';
  if (!service) {
    return (
      <Page title={t('admin.title')}>
        <EmptyState icon={<KeyIcon size={32} />} title={t('admin.unavailable')}>{null}</EmptyState>
      </Page>
    );
  }
  const shown = tabs.filter((x) => isAdmin || !x.adminOnly);
  return (
    <Page
      title={t('admin.title')}
      actions={
        <div className="admin-tabs" role="tablist" aria-label={t('admin.title')}>
          {shown.map((x) => (
            <button key={x.id} type="button" role="tab" aria-selected={tab === x.id} className={tab === x.id ? 'admin-tab admin-tab--active' : 'admin-tab'} data-testid={`admin-tab-${x.id}`} onClick={() => setTab(x.id)}>
              {t(x.label)}
            </button>
          ))}
        </div>
      }
    >
      <div className="admin" data-testid="admin-page">
        {tab === 'people' && <PeopleTab service={service} isAdmin={isAdmin} />}
        {tab === 'teams' && <TeamsTab service={service} isAdmin={isAdmin} />}
        {tab === 'queues' && <QueuesTab service={service} />}
        {tab === 'import' && isAdmin && <ImportTab service={service} />}
        {tab === 'providers' && isAdmin && <ProvidersTab service={service} />}
        {tab === 'audit' && isAdmin && <AuditTab service={service} />}
      </div>
    </Page>
  );
}
