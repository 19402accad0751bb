import { useId } from 'react';
import { locales, type Locale } from '../../../core/locale';
import { isManaged } from '../../../core/policy/effective';
import { languageNames } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ManagedBadge } from './ManagedBadge';

/**
 * The language picker (login screen and Settings); each language is named in itself. Disabled, with the
 * managed badge in Settings, when IT sets DefaultLanguage by policy.
 * `compact`: inline, for the login screen's corner; `labelHidden`: when a heading already says "Language".
 */
export function LanguageSelect(props: { className?: string; compact?: boolean; labelHidden?: boolean }) {
  const t = useT();
  const id = useId();
  const locale = useAppStore((s) => s.locale);
  const setLocale = useAppStore((s) => s.setLocale);
  const managed = useAppStore((s) => isManaged(s.policy, 'DefaultLanguage'));
  return (
    <div className={props.compact ? `language-select language-select--compact ${props.className ?? ''}` : `field ${props.className ?? ''}`}>
      <label htmlFor={id} className={props.compact || props.labelHidden ? 'visually-hidden' : 'field__label'}>
        {t('language.label')}
      </label>
      <select id={id} className="select" data-testid="language-select" value={locale} disabled={managed} onChange={(e) => setLocale(e.target.value as Locale)}>
        {locales.map((l) => (
          <option key={l} value={l} lang={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
      {managed && !props.compact && <ManagedBadge />}
    </div>
  );
}
