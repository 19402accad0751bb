/**
 * Issue 12 item 1: the regex HTML-to-text was quadratic (64 kB of "<a" took 5 s) and the inbound email
 * route accepts 2,000,000 characters of HTML. Each shape below is about 2 MB, built to hit one of the
 * ways a regex or a naive parser goes quadratic: unterminated constructs that make a pattern rescan the
 * rest of the input, and open-element stacks searched on every end tag.
 */
export const size = 2_000_000;
const fill = (unit: string, prefix = '', suffix = '') => prefix + unit.repeat(Math.ceil((size - prefix.length - suffix.length) / unit.length)) + suffix;

export const adversarialHtml: Record<string, string> = {
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
