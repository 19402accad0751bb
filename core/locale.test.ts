import { describe, expect, it } from 'vitest';
import { matchLocale } from './locale';

describe('matchLocale', () => {
  it('follows the OS language to the shipped locale', () => {
    expect(matchLocale(['zh-TW'])).toBe('zh-TW');
    expect(matchLocale(['zh-Hant-HK'])).toBe('zh-TW');
    expect(matchLocale(['zh-HK'])).toBe('zh-TW');
    expect(matchLocale(['zh'])).toBe('zh-CN');
    expect(matchLocale(['zh-Hans-SG'])).toBe('zh-CN');
    expect(matchLocale(['de-DE', 'zh-CN'])).toBe('zh-CN');
    expect(matchLocale(['fr-FR'])).toBe('en');
    expect(matchLocale([])).toBe('en');
  });
});
