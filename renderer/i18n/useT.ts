import { useMemo } from 'react';
import { useAppStore } from '../stores/appStore';
import { translator, type Translate } from './i18n';

/** The translate function for the current locale; re-renders the caller when the locale changes. */
export function useT(): Translate {
  const locale = useAppStore((s) => s.locale);
  return useMemo(() => translator(locale), [locale]);
}
