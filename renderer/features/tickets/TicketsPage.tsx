import { useT } from '../../i18n/useT';
import { EmptyState, Page } from '../../ui/EmptyState';
import { TicketIcon } from '../../ui/icons';

export function TicketsPage() {
  const t = useT();
  return (
    <Page title={t('tickets.title')}>
      <EmptyState icon={<TicketIcon size={28} />} title={t('tickets.empty.title')}>
        {t('tickets.empty.body')}
      </EmptyState>
    </Page>
  );
}
