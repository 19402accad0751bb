import { z } from 'zod';

export const Locale = z.enum(['en', 'zh-CN', 'zh-TW']);
export type Locale = z.infer<typeof Locale>;
export const locales: readonly Locale[] = Locale.options;

/**
 * Maps an OS / browser language tag (BCP 47) to a shipped locale.
 * Traditional script or a Traditional-using region (TW, HK, MO) picks zh-TW; any other Chinese picks
 * zh-CN; everything else falls back to English.
 */
export function matchLocale(tags: readonly string[]): Locale {
  for (const raw of tags) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('zh')) {
      if (tag.startsWith('en')) return 'en';
      continue;
    }
    if (/-hant\b|-(tw|hk|mo)\b/.test(tag)) return 'zh-TW';
    return 'zh-CN';
  }
  return 'en';
}
