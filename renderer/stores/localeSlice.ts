import type { StateCreator } from 'zustand';
import { Locale, matchLocale } from '../../core/locale';
import type { AppState } from './appStore';
import { storageKeys, type StoreDeps } from './deps';

export type LocaleSlice = {
  locale: Locale;
  /** 'system' follows the OS languages; 'chosen' is the agent's pick in Settings, remembered. */
  localeSource: 'system' | 'chosen';
  /** Applies the remembered choice, or else the best match for the OS languages. */
  initLocale(osLanguages: readonly string[]): void;
  setLocale(locale: Locale): void;
};

export const createLocaleSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], LocaleSlice> =>
  (set) => {
    const tellHost = (locale: Locale) => {
      deps.host.setLocale(locale).catch((err: unknown) => deps.log?.(`[locale] host update failed: ${String(err)}`));
    };
    return {
      locale: 'en',
      localeSource: 'system',
      initLocale(osLanguages) {
        const remembered = Locale.safeParse(deps.storage.getItem(storageKeys.locale));
        const locale = remembered.success ? remembered.data : matchLocale(osLanguages);
        set({ locale, localeSource: remembered.success ? 'chosen' : 'system' });
        tellHost(locale);
      },
      setLocale(locale) {
        set({ locale, localeSource: 'chosen' });
        deps.storage.setItem(storageKeys.locale, locale);
        tellHost(locale);
      },
    };
  };
