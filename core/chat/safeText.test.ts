import { describe, expect, test } from 'vitest';
import { neutralizeText, safeFileName, segmentMessage, showName, truncateText, unstorableText, type LinkSegment } from './safeText';

const links = (text: string): LinkSegment[] => segmentMessage(text).segments.filter((s): s is LinkSegment => s.kind === 'link');
const joined = (text: string, maxLength?: number): string =>
  segmentMessage(text, maxLength === undefined ? {} : { maxLength }).segments.map((s) => s.text).join('');

describe('segmentMessage: links', () => {
  test('finds an https link inside a sentence and keeps the text around it', () => {
    const { segments } = segmentMessage('Track it at https://example.com/track?id=42 please');
    expect(segments).toEqual([
      { kind: 'text', text: 'Track it at ' },
      { kind: 'link', text: 'https://example.com/track?id=42', href: 'https://example.com/track?id=42', host: 'example.com', idn: false, confusable: false },
      { kind: 'text', text: ' please' },
    ]);
  });

  test('http links are links too (the external-link allow-list refuses them later)', () => {
    expect(links('see http://example.com/a').map((l) => l.href)).toEqual(['http://example.com/a']);
  });

  test.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://example.com/550e8400',
    'about:blank',
    'ftp://example.com/x',
    '//evil.example/login',
    'javascript:https://example.com',
    'xhttps://example.com',
  ])('%s stays plain text', (text) => {
    expect(links(text)).toEqual([]);
    expect(joined(text)).toBe(text);
  });

  test('markdown link syntax is not honoured: the real target shows as written', () => {
    expect(links('[click](javascript:alert(1))')).toEqual([]);
    const { segments } = segmentMessage('[https://bank.example.com](https://evil.example/login)');
    expect(segments.filter((s) => s.kind === 'link').map((s) => s.text)).toEqual(['https://evil.example/login']);
    expect(segments.map((s) => s.text).join('')).toBe('[https://bank.example.com](https://evil.example/login)');
  });

  test('a markdown label that looks like a URL is not made a link; only the real target is', () => {
    const hosts = links('[https://bank.example.com](https://evil.example/login)').map((l) => l.host);
    expect(hosts).toEqual(['evil.example']);
  });

  test('trailing sentence punctuation is not part of the link, balanced parentheses are', () => {
    expect(links('Go to https://example.com/a.').map((l) => l.text)).toEqual(['https://example.com/a']);
    expect(links('(see https://example.com/x), ok?').map((l) => l.text)).toEqual(['https://example.com/x']);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)!').map((l) => l.text)).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(joined('Go to https://example.com/a.')).toBe('Go to https://example.com/a.');
  });

  test('Chinese punctuation ends a link', () => {
    expect(links('请点击https://example.com/退款。谢谢').map((l) => l.text)).toEqual(['https://example.com/退款']);
    expect(links('链接：https://example.com/a，谢谢').map((l) => l.text)).toEqual(['https://example.com/a']);
  });

  test('a URL with credentials (bank.com@evil) is not offered as a link', () => {
    expect(links('https://bank.example.com@evil.example/login')).toEqual([]);
    expect(links('https://user:pass@evil.example/')).toEqual([]);
  });

  test('quotes and angle brackets end a link', () => {
    expect(links('https://example.com/"onmouseover="alert(1)').map((l) => l.href)).toEqual(['https://example.com/']);
    expect(links('https://example.com/<script>').map((l) => l.href)).toEqual(['https://example.com/']);
  });

  test('an IDN host is shown as written, with the punycode host and a flag for a second look', () => {
    const [link] = links('https://раураl.com/login');
    expect(link?.text).toBe('https://раураl.com/login');
    expect(link?.host.startsWith('xn--')).toBe(true);
    expect(link?.href).toBe(`https://${link?.host}/login`);
    expect(link?.idn).toBe(true);
    expect(links('https://example.com/')[0]?.idn).toBe(false);
  });

  test('a URL longer than the external-link limit stays text', () => {
    expect(links(`https://example.com/${'a'.repeat(3000)}`)).toEqual([]);
  });

  test('adjacent text is merged into one segment', () => {
    expect(segmentMessage('a javascript:x b').segments).toEqual([{ kind: 'text', text: 'a javascript:x b' }]);
  });
});

describe('segmentMessage: invisible and direction characters', () => {
  test('an RTL override cannot disguise a link or a file name', () => {
    const result = segmentMessage('invoice\u202Efdp.exe and https://example.com/\u202Egpj.exe');
    expect(result.hadBidiControls).toBe(true);
    expect(result.segments.map((s) => s.text).join('')).toBe('invoicefdp.exe and https://example.com/gpj.exe');
    expect(result.segments.find((s) => s.kind === 'link')?.text).toBe('https://example.com/gpj.exe');
  });

  test('a zero-width space cannot split a host into something that reads as another', () => {
    const result = segmentMessage('https://pay\u200Bpal.com.evil.example/');
    expect(result.hadInvisibleChars).toBe(true);
    expect(links('https://pay\u200Bpal.com.evil.example/')[0]?.host).toBe('paypal.com.evil.example');
  });

  test('emoji ZWJ sequences survive, and a ZWJ ends a link', () => {
    const family = 'family 👨\u200D👩\u200D👧';
    expect(joined(family)).toBe(family);
    expect(segmentMessage(family).hadInvisibleChars).toBe(false);
    expect(links('https://example.com/a\u200Db')[0]?.text).toBe('https://example.com/a');
  });

  test('null bytes and terminal escapes are removed and flagged; tabs and newlines stay', () => {
    const result = segmentMessage('a\u0000b\u001B[31mc\td\ne');
    expect(result.hadControlChars).toBe(true);
    expect(result.segments.map((s) => s.text).join('')).toBe('ab[31mc\td\ne');
  });

  test('clean text reports no flags', () => {
    expect(segmentMessage('你好 hello')).toMatchObject({ hadBidiControls: false, hadInvisibleChars: false, hadControlChars: false, truncated: false });
  });

  test('neutralizeText removes every bidi control kind', () => {
    expect(neutralizeText('\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061Cok').text).toBe('ok');
  });
});

describe('segmentMessage: size', () => {
  test('a huge message is cut at maxLength and flagged', () => {
    const result = segmentMessage('x'.repeat(50_000), { maxLength: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.segments.map((s) => s.text).join('')).toHaveLength(1000);
  });

  test('the default limit applies without options', () => {
    expect(segmentMessage('x'.repeat(1_000_000)).truncated).toBe(true);
  });

  test('truncation never leaves half an emoji', () => {
    const cut = truncateText('ab😀', 3);
    expect(cut).toEqual({ text: 'ab', truncated: true });
    expect(truncateText('ab😀', 4)).toEqual({ text: 'ab😀', truncated: false });
  });

  test('a link cut by truncation is detected only as far as it reaches', () => {
    expect(links('https://example.com/abcdef').length).toBe(1);
    const result = segmentMessage('see https://example.com/abcdef', { maxLength: 12 });
    expect(result.segments).toEqual([{ kind: 'text', text: 'see https://' }]);
  });
});

describe('safeFileName', () => {
  test.each([
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\li\\Desktop\\报价单.xlsx', '报价单.xlsx'],
    ['.bashrc', 'bashrc'],
    ['...', 'attachment'],
    ['', 'attachment'],
    ['CON.txt', '_CON.txt'],
    ['lpt1', '_lpt1'],
    ['con.tar.gz', '_con.tar.gz'],
    ['console.txt', 'console.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['invoice.pdf.exe. ', 'invoice.pdf.exe'],
    [`invoice.pdf${' '.repeat(200)}.exe`, 'invoice.pdf .exe'],
    ['ab\u0000cd.png', 'abcd.png'],
    ['invoice\u2024pdf', 'invoice_pdf'],
    ['pay\u200Bslip.pdf', 'payslip.pdf'],
    ['照片 2024.jpg', '照片 2024.jpg'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  test('a long name is shortened in the middle and keeps its real extension', () => {
    const name = safeFileName(`${'very-long-name-'.repeat(40)}.exe`);
    expect(Array.from(name).length).toBe(120);
    expect(name.endsWith('….exe')).toBe(true);
    expect(safeFileName('a'.repeat(50) + '.pdf', { maxLength: 20 })).toBe(`${'a'.repeat(15)}….pdf`);
  });

  test('a long name without an extension is still capped', () => {
    expect(Array.from(safeFileName('名'.repeat(500))).length).toBe(120);
  });
});

describe('issue 12 item 14: one policy for names and stored text', () => {
  test('a name loses bidi controls, invisible and control characters and line breaks, and says so', () => {
    expect(showName('invoice\u202Egpj.exe')).toEqual({ text: 'invoicegpj.exe', flagged: true });
    expect(showName('Lena\u200B Fischer\n\nCEO')).toEqual({ text: 'Lena Fischer CEO', flagged: true });
    expect(showName('  Anna   Li ')).toEqual({ text: 'Anna Li', flagged: false });
    expect(showName(null)).toEqual({ text: '', flagged: false });
    expect(showName('x'.repeat(500)).text).toHaveLength(200);
  });

  test('text with NUL or a lone surrogate is unstorable, with the reason', () => {
    expect(unstorableText('a\u0000b')).toBe('text cannot contain NUL characters');
    expect(unstorableText('a\uD800b')).toBe('text cannot contain unpaired UTF-16 surrogates');
    expect(unstorableText('ok 😀 \u202E')).toBeNull();
  });
});
