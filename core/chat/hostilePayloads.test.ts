import { describe, expect, test } from 'vitest';
import { hostilePayloads } from '../../tests/support/core/hostilePayloads';
import { neutralizeText, safeFileName, segmentMessage, truncateText } from './safeText';
import { fillTemplate } from '../replies/template';

const bidiOrInvisible = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u2060-\u2064\uFEFF\u180E\u00AD]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

describe('hostile payload corpus', () => {
  test('has at least 100 entries with unique names', () => {
    expect(hostilePayloads.length).toBeGreaterThanOrEqual(100);
    expect(new Set(hostilePayloads.map((p) => p.name)).size).toBe(hostilePayloads.length);
  });

  test('exercises the link detector: some payloads do produce links, so the link checks below bite', () => {
    const linked = hostilePayloads.filter((p) => segmentMessage(p.text).segments.some((s) => s.kind === 'link'));
    expect(linked.length).toBeGreaterThanOrEqual(10);
  });

  test('includes megabyte-sized strings', () => {
    expect(hostilePayloads.some((p) => p.text.length >= 1_000_000)).toBe(true);
  });
});

describe.each(hostilePayloads.map((p) => [p.name, p.text] as const))('payload %s', (_name, text) => {
  test('as a message: links are only parsed http(s) URLs without credentials, and nothing else is lost', () => {
    const result = segmentMessage(text);
    for (const segment of result.segments) {
      expect(bidiOrInvisible.test(segment.text)).toBe(false);
      expect(controls.test(segment.text)).toBe(false);
      if (segment.kind !== 'link') continue;
      const url = new URL(segment.href);
      expect(['https:', 'http:']).toContain(url.protocol);
      expect(url.username + url.password).toBe('');
      expect(segment.href.length).toBeLessThanOrEqual(2048 * 3);
      expect(segment.text).toMatch(/^https?:\/\//i);
      expect(segment.text).not.toMatch(/[\s<>"'`]/);
    }
    const expected = neutralizeText(truncateText(text, 20_000).text).text;
    expect(result.segments.map((s) => s.text).join('')).toBe(expected);
    expect(result.truncated).toBe(text.length > 20_000);
  });

  test('as an attachment name: no path, no controls, no hidden direction, not hidden, not reserved', () => {
    const name = safeFileName(text);
    expect(name).not.toMatch(/[/\\<>:"|?*]/);
    expect(bidiOrInvisible.test(name)).toBe(false);
    expect(controls.test(name)).toBe(false);
    expect(name.startsWith('.')).toBe(false);
    expect(name).not.toMatch(/[\s.]$/);
    expect(name.split('.')[0]).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
    expect(Array.from(name).length).toBeGreaterThan(0);
    expect(Array.from(name).length).toBeLessThanOrEqual(120);
  });

  test('as a customer name in a reply: inserted once as plain text, never expanded or evaluated', () => {
    const filled = fillTemplate('Hi {{customer.name}}, I am {{agent.name}}.', { customer: { name: text }, agent: { name: 'Li' } });
    const shown = neutralizeText(text).text.replace(/\s+/g, ' ').trim();
    if (shown === '') {
      expect(filled.missing).toEqual(['customer.name']);
      expect(filled.text).toBe('Hi {{customer.name}}, I am Li.');
    } else {
      expect(filled.text).toBe(`Hi ${shown}, I am Li.`);
      expect(filled.missing).toEqual([]);
    }
    expect(filled.unknown).toEqual([]);
  });

  test('as a reply body: placeholders that are not variables stay as written', () => {
    const filled = fillTemplate(text, {});
    expect(filled.text).toBe(text);
  });
});
