import { useT } from '../../i18n/useT';
import { EmptyState, Page } from '../../ui/EmptyState';
import { RepliesIcon } from '../../ui/icons';

export function RepliesPage() {
  const t = useT();
  return (
    <Page title={t('replies.title')}>
      <EmptyState icon={<RepliesIcon size={28} />} title={t('replies.empty.title')}>
        {t('replies.empty.body')}
      </EmptyState>
    </Page>
  );
}
