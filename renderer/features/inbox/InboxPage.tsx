import { useT } from '../../i18n/useT';
import { EmptyState, Page } from '../../ui/EmptyState';
import { InboxIcon } from '../../ui/icons';

export function InboxPage() {
  const t = useT();
  return (
    <Page title={t('inbox.title')}>
      <EmptyState icon={<InboxIcon size={28} />} title={t('inbox.empty.title')}>
        {t('inbox.empty.body')}
      </EmptyState>
    </Page>
  );
}
