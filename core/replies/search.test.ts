import { describe, expect, test } from 'vitest';
import type { QuickReply } from './model';
import { buildReplyIndex, recordUse, searchReplies } from './search';

let next = 0;
const reply = (shortcut: string, title: string, bodies: QuickReply['bodies'], extra: Partial<QuickReply> = {}): QuickReply => ({
  id: `r${++next}`,
  scope: 'global',
  teamId: null,
  ownerId: null,
  category: 'General',
  shortcut,
  title,
  bodies,
  useCount: 0,
  updatedAt: 1_000,
  ...extra,
});

const library = [
  reply('refund-status', 'Refund status', { en: 'Your refund is on its way.', 'zh-CN': '您的退款正在处理中。' }, { category: 'Refunds', useCount: 5 }),
  reply('refund-issued', 'Refund issued', { en: 'Your refund has been issued today.', 'zh-CN': '退款已于今天发起。', 'zh-TW': '退款已於今天發起。' }, { category: 'Refunds', useCount: 50 }),
  reply('hello', 'Greeting', { en: 'Hello {{customer.name}}, how can I help?', 'zh-CN': '您好，有什么可以帮您？' }, { useCount: 100 }),
  reply('tracking', 'Tracking link', { en: 'Here is the tracking link for your parcel.', 'zh-CN': '这是您的包裹物流链接。' }),
  reply('fapiao', '发票信息', { 'zh-CN': '请提供公司名称和纳税人识别号，申请退款后我们将为您重开发票。' }),
  reply('sepa', 'SEPA direct debit', { en: 'Your SEPA mandate is active.' }, { category: 'Zahlungen' }),
  reply('ruck', 'Rückerstattung', { en: 'Die Rückerstattung ist unterwegs.' }),
  reply('hello-vip', 'Greeting for VIPs', { en: 'Welcome back!' }, { useCount: 1 }),
];

const shortcuts = (query: string, language: 'en' | 'zh-CN' | 'zh-TW' | null = 'en', limit?: number) =>
  searchReplies(buildReplyIndex(library), query, limit === undefined ? { language } : { language, limit }).map((h) => h.reply.shortcut);

describe('searchReplies', () => {
  test('an exact shortcut comes first even when others are used more', () => {
    const hits = searchReplies(buildReplyIndex(library), 'hello', { language: 'en' });
    expect(hits.map((h) => [h.reply.shortcut, h.match])).toEqual([
      ['hello', 'shortcut-exact'],
      ['hello-vip', 'shortcut-prefix'],
    ]);
  });

  test('a shortcut prefix as typed after the slash, hyphen included', () => {
    expect(shortcuts('/refund-st')).toEqual(['refund-status']);
    expect(shortcuts('/ref')).toEqual(['refund-issued', 'refund-status']);
  });

  test('within one strength, more used replies rank first', () => {
    expect(shortcuts('refund')).toEqual(['refund-issued', 'refund-status']);
  });

  test('within the same use count, the newer edit ranks first', () => {
    const index = buildReplyIndex([
      reply('a-old', 'Parcel old', { en: 'x' }, { updatedAt: 1 }),
      reply('a-new', 'Parcel new', { en: 'x' }, { updatedAt: 2 }),
    ]);
    expect(searchReplies(index, 'parcel', { language: 'en' }).map((h) => h.reply.shortcut)).toEqual(['a-new', 'a-old']);
  });

  test('title word prefixes, every query word must match', () => {
    expect(shortcuts('track li')).toEqual(['tracking']);
    expect(shortcuts('direct')).toEqual(['sepa']);
    expect(shortcuts('direct refund')).toEqual([]);
  });

  test('title matches rank above body matches, whatever the use count', () => {
    const hits = searchReplies(buildReplyIndex(library), 'help', { language: 'en' });
    expect(hits.map((h) => [h.reply.shortcut, h.match])).toEqual([['hello', 'body']]);
    const index = buildReplyIndex([
      reply('body-hit', 'Other', { en: 'about the parcel' }, { useCount: 1000 }),
      reply('title-hit', 'Parcel', { en: 'x' }, { useCount: 0 }),
    ]);
    expect(searchReplies(index, 'parc', { language: 'en' }).map((h) => h.match)).toEqual(['title', 'body']);
  });

  test('category words count as title words', () => {
    expect(shortcuts('zahlung')).toEqual(['sepa']);
  });

  test('case, full-width letters and accents do not matter', () => {
    expect(shortcuts('REFUND ISS')).toEqual(['refund-issued']);
    expect(shortcuts('ｓｅｐａ')).toEqual(['sepa']);
    expect(shortcuts('ruckerst')).toEqual(['ruck']);
    expect(shortcuts('rückerst')).toEqual(['ruck']);
  });

  test('Chinese matches by substring: 退款 finds 申请退款 and 您的退款', () => {
    const hits = searchReplies(buildReplyIndex(library), '退款', { language: 'zh-CN' });
    expect(hits.map((h) => h.reply.shortcut)).toEqual(['refund-issued', 'refund-status', 'fapiao']);
    expect(hits.every((h) => h.match === 'body')).toBe(true);
  });

  test('one Chinese character is enough; a Chinese title matches as title', () => {
    expect(shortcuts('发票', 'zh-CN')).toEqual(['fapiao']);
    expect(searchReplies(buildReplyIndex(library), '发票', { language: 'zh-CN' })[0]?.match).toBe('title');
    expect(shortcuts('裹', 'zh-CN')).toEqual(['tracking']);
  });

  test('Chinese characters that are not adjacent do not match as a phrase', () => {
    expect(shortcuts('退理', 'zh-CN')).toEqual([]);
  });

  test('a match only in a body the agent would not insert ranks below one in the conversation’s language', () => {
    const index = buildReplyIndex([
      reply('en-only', 'A', { en: 'x', 'zh-CN': '包裹到了' }, { useCount: 100 }),
      reply('zh', 'B', { 'zh-CN': '包裹到了' }, { useCount: 0 }),
    ]);
    expect(searchReplies(index, '包裹', { language: 'en' }).map((h) => [h.reply.shortcut, h.match])).toEqual([
      ['zh', 'body'],
      ['en-only', 'other-language'],
    ]);
  });

  test('each hit carries the variant to insert for the conversation language', () => {
    const [hit] = searchReplies(buildReplyIndex(library), 'refund-status', { language: 'zh-TW' });
    expect(hit?.variant).toMatchObject({ language: 'zh-CN', match: 'other-chinese', fallback: true });
  });

  test('an empty query (just "/") lists the most used replies', () => {
    expect(shortcuts('/', 'en', 3)).toEqual(['hello', 'refund-issued', 'refund-status']);
    expect(searchReplies(buildReplyIndex(library), '  ', { language: 'en' })[0]?.match).toBe('none');
  });

  test('the limit caps the result and zero gives nothing', () => {
    expect(shortcuts('', 'en', 2)).toHaveLength(2);
    expect(shortcuts('', 'en', 0)).toEqual([]);
    expect(shortcuts('', 'en')).toHaveLength(8);
  });

  test('no match gives an empty list; punctuation-only queries do not throw', () => {
    expect(shortcuts('zzz')).toEqual([]);
    expect(shortcuts('{{')).toEqual([]);
    expect(shortcuts('-')).toEqual([]);
  });

  test('a duplicate id is indexed once', () => {
    const first = reply('dup', 'Dup', { en: 'x' });
    const index = buildReplyIndex([first, { ...first, shortcut: 'dup-2' }]);
    expect(index.entries).toHaveLength(1);
  });
});

describe('recordUse', () => {
  test('bumps the count so the reply ranks higher in the next search', () => {
    const index = buildReplyIndex(library);
    const status = library[0]!;
    expect(searchReplies(index, 'refund', { language: 'en' })[0]?.reply.shortcut).toBe('refund-issued');
    for (let i = 0; i < 46; i++) expect(recordUse(index, status.id)).toBe(true);
    expect(searchReplies(index, 'refund', { language: 'en' }).map((h) => [h.reply.shortcut, h.useCount])).toEqual([
      ['refund-status', 51],
      ['refund-issued', 50],
    ]);
  });

  test('an unknown id is reported, not added', () => {
    const index = buildReplyIndex(library);
    expect(recordUse(index, 'nope')).toBe(false);
  });

  test('the reply objects given to the index are not modified', () => {
    const index = buildReplyIndex(library);
    recordUse(index, library[0]!.id);
    expect(library[0]!.useCount).toBe(5);
  });
});

describe('large libraries', () => {
  test('10k replies: finds the one exact shortcut and the right substring hits', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      reply(`r-${i}`, `Reply number ${i}`, { en: `Body ${i} about parcels`, 'zh-CN': i % 100 === 0 ? `申请退款 ${i}` : `包裹 ${i}` }, { useCount: i % 7 }),
    );
    const index = buildReplyIndex(many);
    expect(searchReplies(index, 'r-4242', { language: 'en' })[0]?.reply.shortcut).toBe('r-4242');
    expect(searchReplies(index, '退款', { language: 'zh-CN', limit: 1000 })).toHaveLength(100);
    expect(searchReplies(index, 'parcel', { language: 'en', limit: 5 })).toHaveLength(5);
  });
});
