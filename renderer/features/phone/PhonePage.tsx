import { useT } from '../../i18n/useT';
import { EmptyState, Page } from '../../ui/EmptyState';
import { PhoneIcon } from '../../ui/icons';

/** Placeholder until the softphone feature lands (it replaces this file). */
export function PhonePage() {
  const t = useT();
  return (
    <Page title={t('phone.title')}>
      <EmptyState icon={<PhoneIcon size={28} />} title={t('phone.empty.title')}>
        {t('phone.empty.body')}
      </EmptyState>
    </Page>
  );
}
