import { describe, expect, test } from 'vitest';
import { adversarialHtml } from '../../tests/support/core/adversarialHtml';
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

describe('issue 12 item 1 (ReDoS): HTML to text is capped', () => {
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
