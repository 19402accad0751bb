import { describe, expect, test } from 'vitest';
import { decodePunycode, isConfusableHost, unicodeHost } from './linkHost';
import { segmentMessage } from './safeText';

/** The host as the WHATWG URL parser gives it: lower-case ASCII, punycode for IDN labels. */
const ascii = (host: string) => new URL(`https://${host}/`).hostname;

describe('link hosts', () => {
  test('punycode decodes as the WHATWG URL parser encodes', () => {
    for (const host of ['аpple.com', 'münchen.de', '例え.jp', 'яндекс.рф', 'ɑpple.com', 'bücher.example', '😀.example', 'παράδειγμα.δοκιμή']) {
      expect(unicodeHost(ascii(host)), host).toBe(host);
    }
    expect(decodePunycode('!!')).toBeNull();
    expect(decodePunycode('99999999999')).toBeNull();
  });

  test('issue 12 item 14: mixed-script and look-alike hosts are confusable; single-script and East Asian hosts are not', () => {
    for (const host of ['аpple.com', 'pаypal.com', 'аррӏе.com', 'ɑpple.com', 'gооgle.com', 'login.micrоsoft.com', 'xn--abc.com']) {
      expect(isConfusableHost(host.startsWith('xn--') ? host : ascii(host)), host).toBe(true);
    }
    for (const host of ['apple.com', 'münchen.de', '例え.jp', 'яндекс.рф', '北京abc.cn', 'bücher.example', 'παράδειγμα.δοκιμή']) {
      expect(isConfusableHost(ascii(host)), host).toBe(false);
    }
  });

  test('issue 12 item 14: a message link to a confusable host carries its punycode host and the flag', () => {
    const [link] = segmentMessage('https://аpple.com/login').segments;
    expect(link).toMatchObject({ kind: 'link', text: 'https://аpple.com/login', host: 'xn--pple-43d.com', idn: true, confusable: true });
    expect(segmentMessage('https://münchen.de/').segments[0]).toMatchObject({ kind: 'link', idn: true, confusable: false });
  });
});
