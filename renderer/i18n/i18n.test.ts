import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogs, languageNames, translate } from './i18n';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it.each([
    ['zh-CN', zhCN],
    ['zh-TW', zhTW],
  ] as const)('%s has exactly the English keys', (_, catalog) => {
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
  });

  it.each([
    ['zh-CN', zhCN],
    ['zh-TW', zhTW],
  ] as const)('%s keeps every placeholder of the English message and leaves none empty', (_, catalog) => {
    for (const [key, english] of Object.entries(en)) {
      const translated = (catalog as Record<string, string>)[key]!;
      expect(translated.trim(), key).not.toBe('');
      expect(placeholders(translated), key).toEqual(placeholders(english));
    }
  });

  it('uses Simplified characters in zh-CN and Traditional in zh-TW where they differ', () => {
    expect(zhCN['nav.settings']).toBe('设置');
    expect(zhTW['nav.settings']).toBe('設定');
    expect(zhCN['nav.tickets']).toBe('工单');
    expect(zhTW['nav.tickets']).toBe('工單');
    expect(zhCN['nav.inbox']).toBe('收件箱');
    expect(zhTW['nav.inbox']).toBe('收件匣');
    expect(zhCN['sync.state.online']).toBe('在线');
    expect(zhTW['sync.state.online']).toBe('線上');
    // A handful of characters that exist only in Simplified must not leak into zh-TW.
    const simplifiedOnly = /[设单线这语录户务连网错态码输载]/;
    for (const [key, value] of Object.entries(zhTW)) expect(value, key).not.toMatch(simplifiedOnly);
  });

  it('names each language in itself', () => {
    expect(languageNames).toEqual({ en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' });
    expect(Object.keys(catalogs).sort()).toEqual(['en', 'zh-CN', 'zh-TW']);
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'sync.pending', { count: 3 })).toBe('3 unsent changes');
    expect(translate('zh-TW', 'phone.status.text', { state: '就緒' })).toBe('電話：就緒');
    expect(translate('en', 'sync.pending', {})).toBe('{count} unsent changes');
  });
});
