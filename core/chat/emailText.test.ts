import { describe, expect, test } from 'vitest';
import { decodeEntities, emailTextLimits, htmlToText, htmlToTextAsync, htmlToTextCapped } from './emailText';

describe('email HTML to text', () => {
  test('keeps the words and line breaks, drops the markup', () => {
    const html = '<html><head><title>x</title><style>p{color:red}</style></head><body><p>Hello <b>Anna</b>,</p><p>my order <a href="https://shop.example/o/1">#1042</a> is late.<br>Thanks</p><ul><li>one</li><li>two</li></ul></body></html>';
    expect(htmlToText(html)).toBe('Hello Anna,\nmy order #1042 is late.\nThanks\n\n• one\n• two');
  });

  test('script, event handlers, comments and javascript: links leave no markup behind', () => {
    const html = '<div onclick="alert(1)">Hi<script>alert("x")</script><!-- <img src=x onerror=alert(2)> --><img src=x onerror="alert(3)"><a href="javascript:alert(4)">click</a><svg><script>alert(5)</script></svg></div>';
    const text = htmlToText(html);
    expect(text).toBe('Hiclick');
    expect(text).not.toMatch(/[<>]|alert/);
  });

  test('entities are decoded once, so escaped markup stays visible text', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt; caf&eacute; &#20320;&#x597D;</p>')).toBe('<script>alert(1)</script> &lt;b&gt; caf&eacute; 你好');
    expect(decodeEntities('&#0; &#xD800; &#x110000; &nbsp;')).toBe('\uFFFD \uFFFD \uFFFD  ');
  });

  test('an unclosed comment or tag cannot hide or inject anything', () => {
    expect(htmlToText('before<!-- never closed <script>alert(1)</script>')).toBe('before');
    expect(htmlToText('a <b class="x" b')).toBe('a <b class="x" b');
  });
});

/**
 * Issue 12 item 1: the regex HTML-to-text was quadratic (64 kB of "<a" took 5 s) and the inbound email
 * route accepts 2,000,000 characters of HTML. Each shape below is about 2 MB, built to hit one of the
 * ways a regex or a naive parser goes quadratic: unterminated constructs that make a pattern rescan the
 * rest of the input, and open-element stacks searched on every end tag.
 */
const size = 2_000_000;
const fill = (unit: string, prefix = '', suffix = '') => prefix + unit.repeat(Math.ceil((size - prefix.length - suffix.length) / unit.length)) + suffix;

const adversarialHtml: Record<string, string> = {
  '"<a" repeated, never closed': fill('<a'),
  '"<" repeated': fill('<'),
  'unclosed tags with unclosed attribute quotes': fill('<div class="x'),
  '"<!--" repeated, never closed': fill('<!--'),
  'nested comments': fill('<!-- <!-- -->'),
  '<script unterminated, "<" inside': fill('x</scrip<', '<script>'),
  '"<script" repeated without ">"': fill('<script'),
  '<style> and <title> opened again and again': fill('<style><title>'),
  'deep nesting then end tags that match nothing': fill('<div><span>', '', '</x>'.repeat(100_000)),
  'end tags that match nothing': fill('</p></td></x >'),
  'attribute storm in one tag': fill(' a=b c="d" e', '<p', '>text'),
  'entity storm': fill('&#x1F600;&amp;&#'),
  'block and list storm': fill('<p>a</p><li>b<br><td>c</td>'),
  'plain text': fill('word '),
};

describe('issue 12 item 1 (ReDoS): HTML to text is linear and capped', () => {
  test.each(Object.entries(adversarialHtml))('issue 12 item 1 (ReDoS): 2 MB of %s converts in under 200 ms', (_name, html) => {
    expect(html.length).toBeGreaterThanOrEqual(size);
    htmlToText(html.slice(0, 10_000));
    const started = performance.now();
    const text = htmlToText(html);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(200);
    expect(text.length).toBeLessThanOrEqual(emailTextLimits.text);
  });

  test('issue 12 item 1 (ReDoS): with the input cap lifted, the conversion still grows linearly', () => {
    const time = (html: string) => {
      const started = performance.now();
      htmlToText(html, { html: Infinity, text: Infinity });
      return performance.now() - started;
    };
    const fastest = (html: string) => Math.min(time(html), time(html), time(html));
    for (const unit of ['<a', '<!--', '<div class="x', '<div>']) {
      time(unit.repeat(10_000));
      const small = fastest(unit.repeat(50_000));
      const large = fastest(unit.repeat(400_000));
      // 8x the input: linear is about 8x the time, quadratic 64x; 24x leaves room for a busy machine.
      expect(large, unit).toBeLessThan(Math.max(small, 2) * 24);
    }
  });

  test('issue 12 item 1 (ReDoS): the caps keep what comes first and the markup rules hold for it', () => {
    const html = `<p>Hello</p>${'<p>filler</p>'.repeat(100_000)}`;
    const text = htmlToText(html);
    expect(text.startsWith('Hello\nfiller\nfiller')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(emailTextLimits.text);
    expect(htmlToText(`<p>a</p>${'x'.repeat(emailTextLimits.html)}<p>hidden</p>`)).not.toMatch(/hidden/);
    expect(htmlToTextCapped('<p>a</p>'.repeat(emailTextLimits.text)).truncated).toBe(true);
    expect(htmlToTextCapped('<p>a</p>').truncated).toBe(false);
  });
});

describe('issue 12 item 1 (ReDoS): the sliced conversion the server uses', () => {
  test('issue 12 item 1 (ReDoS): converting in slices gives exactly the one-pass result, tags across slice ends included', async () => {
    const pauses: number[] = [];
    const pause = async () => void pauses.push(1);
    const edge = 16_384;
    const inputs = [
      ...Object.values(adversarialHtml).map((html) => html.slice(0, emailTextLimits.html + 7)),
      `${'x'.repeat(edge - 3)}<p class="a">hello</p><script>${'y'.repeat(edge)}</script>after<br>end`,
      `${'z '.repeat(edge / 2 - 2)}&amp;<!-- ${'c'.repeat(edge)} -->&lt;b&gt;<li>item`,
      `${'w'.repeat(edge - 1)}<b class="x" b`,
      '<p>Hello <b>Anna</b></p>',
    ];
    for (const html of inputs) expect(await htmlToTextAsync(html, {}, pause), html.slice(0, 40)).toEqual(htmlToTextCapped(html));
    expect(pauses.length).toBeGreaterThan(inputs.length);
  });
});
