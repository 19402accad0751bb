import type { Locale } from '../../core/locale';
import { en, type Catalog, type MessageKey } from './en';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

export type { MessageKey } from './en';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const catalogs: Record<Locale, Catalog> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW };

/** Each language in its own name, so someone who cannot read the current one still finds theirs. */
export const languageNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };

/** Looks a key up and fills `{name}` placeholders; an unknown placeholder is left visible, not dropped. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const translator =
  (locale: Locale): Translate =>
  (key, params) =>
    translate(locale, key, params);

/** Short wall-clock time in the locale's style (e.g. "14:05", "下午2:05"). */
export function formatTime(locale: Locale, epochMs: number): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(epochMs);
}
