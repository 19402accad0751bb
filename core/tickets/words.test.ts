import { describe, expect, it } from 'vitest';
import { matchesAllTokens, queryTokens, searchWords } from './words';

describe('search words', () => {
  it('indexes latin words lowercased and numbers, so prefixes match', () => {
    const words = searchWords('Refund for Order #A-17', 'Zoë Müller', 1042);
    expect(words).toEqual(expect.arrayContaining(['refund', 'order', 'a', '17', 'zoë', 'müller', '1042']));
    expect(matchesAllTokens(words, queryTokens('ref mül'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('104'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('refunds'))).toBe(false);
  });

  it('finds 退款 inside 申请退款 and single CJK characters, in simplified and traditional text', () => {
    const words = searchWords('客户申请退款', '王小明');
    expect(matchesAllTokens(words, queryTokens('退款'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('退'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('款'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('明'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('客'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('申请退款'))).toBe(true);
    expect(matchesAllTokens(words, queryTokens('退货'))).toBe(false);
    expect(matchesAllTokens(searchWords('帳單錯誤'), queryTokens('帳單'))).toBe(true);
  });

  it('splits mixed scripts so "VIP客户" matches both vip and 客户', () => {
    const words = searchWords('VIP客户投诉');
    expect(matchesAllTokens(words, queryTokens('vip 客户'))).toBe(true);
  });
});
