import type { StateCreator } from 'zustand';
import { Locale, matchLocale } from '../../core/locale';
import { isManaged } from '../../core/policy/effective';
import type { AppState } from './appStore';
import { storageKeys, type StoreDeps } from './deps';

export type LocaleSlice = {
  locale: Locale;
  /**
   * 'system' follows the OS languages; 'chosen' is the agent's pick in Settings, remembered;
   * 'policy' is the DefaultLanguage policy (IT's, locked when managed); 'account' is the signed-in
   * user's language on the server.
   */
  localeSource: 'system' | 'chosen' | 'policy' | 'account';
  /**
   * A managed DefaultLanguage wins; else the remembered choice; else a DefaultLanguage IT recommends;
   * else the best match for the OS languages. Call after loadPolicy().
   */
  initLocale(osLanguages: readonly string[]): void;
  setLocale(locale: Locale): void;
  /**
   * The signed-in account's language (from the server) replaces a guess from the OS languages or an
   * unmanaged recommendation, never a managed policy or the agent's own pick on this computer.
   */
  followAccountLocale(language: Locale): void;
};

export const createLocaleSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], LocaleSlice> =>
  (set, get) => {
    const tellHost = (locale: Locale) => {
      deps.host.setLocale(locale).catch((err: unknown) => deps.log?.(`[locale] host update failed: ${String(err)}`));
    };
    return {
      locale: 'en',
      localeSource: 'system',
      initLocale(osLanguages) {
        const { policy } = get();
        const fromPolicy = policy.values.DefaultLanguage;
        const remembered = Locale.safeParse(deps.storage.getItem(storageKeys.locale));
        const [locale, localeSource]: [Locale, LocaleSlice['localeSource']] =
          fromPolicy && isManaged(policy, 'DefaultLanguage')
            ? [fromPolicy, 'policy']
            : remembered.success
              ? [remembered.data, 'chosen']
              : fromPolicy
                ? [fromPolicy, 'policy']
                : [matchLocale(osLanguages), 'system'];
        set({ locale, localeSource });
        tellHost(locale);
      },
      followAccountLocale(language) {
        const { localeSource, locale } = get();
        if (deps.storage.getItem(storageKeys.localeFollowsAccount) === 'off') return;
        if (localeSource === 'chosen' || (localeSource === 'policy' && isManaged(get().policy, 'DefaultLanguage'))) return;
        if (locale === language && localeSource === 'account') return;
        set({ locale: language, localeSource: 'account' });
        tellHost(language);
      },
      setLocale(locale) {
        // The picker is disabled when IT locks the language; this guards any other caller.
        if (isManaged(get().policy, 'DefaultLanguage')) return;
        set({ locale, localeSource: 'chosen' });
        deps.storage.setItem(storageKeys.locale, locale);
        tellHost(locale);
      },
    };
  };
