import { useT } from '../../i18n/useT';
import { LanguageSelect } from './LanguageSelect';

/** Shown instead of the app in a web browser when IT turned web mode off (AllowWebMode = false). */
export function WebModeBlocked() {
  const t = useT();
  return (
    <main className="web-blocked" data-testid="web-mode-blocked">
      <div className="web-blocked__card">
        <h1 className="web-blocked__title">{t('webMode.blocked.title')}</h1>
        <p>{t('webMode.blocked.body')}</p>
        <LanguageSelect compact />
      </div>
    </main>
  );
}
