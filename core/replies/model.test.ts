import { describe, expect, test } from 'vitest';
import { QuickReply, replyLanguages, replyScope } from './model';

const valid = {
  id: 'r1',
  scope: 'team',
  teamId: 't-shanghai',
  ownerId: null,
  category: 'Refunds',
  shortcut: 'refund-status',
  title: 'Refund status',
  bodies: { en: 'Hello {{customer.name}}', 'zh-CN': '{{customer.name}}您好' },
  useCount: 3,
  updatedAt: 1_700_000_000_000,
};

const issues = (value: unknown): string[] => {
  const result = QuickReply.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('QuickReply', () => {
  test('accepts a team reply as the server sends it', () => {
    expect(QuickReply.parse(valid)).toEqual(valid);
  });

  test('accepts global and personal replies', () => {
    expect(issues({ ...valid, scope: 'global', teamId: null })).toEqual([]);
    expect(issues({ ...valid, scope: 'personal', teamId: null, ownerId: 'u1' })).toEqual([]);
  });

  test('refuses a scope that disagrees with the ids', () => {
    expect(issues({ ...valid, scope: 'personal' })).toEqual(['scope: scope "personal" does not match the ids (expected "team")']);
    expect(issues({ ...valid, scope: 'global' })).toHaveLength(1);
  });

  test('refuses a reply owned by a team and a person at once', () => {
    expect(issues({ ...valid, ownerId: 'u1' })).toEqual(['ownerId: a reply belongs to a team or to a person, not both']);
  });

  test.each(['refund-status', '2fa-sms', 'a', 'a'.repeat(40)])('shortcut %s is accepted', (shortcut) => {
    expect(issues({ ...valid, shortcut })).toEqual([]);
  });

  test.each(['-refund', 'Refund', 'refund status', 'refund_status', '', 'a'.repeat(41), '退款'])('shortcut %j is refused', (shortcut) => {
    expect(issues({ ...valid, shortcut })[0]).toMatch(/^shortcut: /);
  });

  test('needs at least one non-blank body', () => {
    expect(issues({ ...valid, bodies: {} })).toEqual(['bodies: a reply needs at least one body']);
    expect(issues({ ...valid, bodies: { en: '   ' } })[0]).toMatch(/^bodies\.en: a reply body is empty/);
    expect(issues({ ...valid, bodies: { 'zh-TW': '您好' } })).toEqual([]);
  });

  test('drops bodies in languages this client does not ship, instead of refusing the reply', () => {
    expect(QuickReply.parse({ ...valid, bodies: { en: 'Hi', ja: 'こんにちは' } }).bodies).toEqual({ en: 'Hi' });
  });

  test('refuses oversized text and a negative use count with a clear message', () => {
    expect(issues({ ...valid, title: 'x'.repeat(121) })).toEqual(['title: a title is longer than 120 characters']);
    expect(issues({ ...valid, bodies: { en: 'x'.repeat(5001) } })).toEqual(['bodies.en: a reply body is longer than 5000 characters']);
    expect(issues({ ...valid, useCount: -1 })[0]).toMatch(/^useCount: /);
    expect(issues({ ...valid, category: ' ' })).toEqual(['category: a category is empty']);
  });
});

describe('replyScope', () => {
  test('follows the table: owner means personal, team means team, neither means everyone', () => {
    expect(replyScope({ teamId: null, ownerId: 'u1' })).toBe('personal');
    expect(replyScope({ teamId: 't1', ownerId: null })).toBe('team');
    expect(replyScope({ teamId: null, ownerId: null })).toBe('global');
  });
});

describe('replyLanguages', () => {
  test('lists languages with a non-blank body in shipped order', () => {
    expect(replyLanguages({ 'zh-TW': '您好', en: 'Hi', 'zh-CN': ' ' })).toEqual(['en', 'zh-TW']);
  });
});
