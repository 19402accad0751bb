import { describe, expect, test } from 'vitest';
import { adversarialHtml, size } from '../../tests/support/core/adversarialHtml';
import { emailTextLimits, htmlToText } from './emailText';

// Wall-clock bounds: a *.timing.test.ts file runs in the unit step's serial pass, alone on the machine
// (scripts/test.mjs), so another test's work cannot land inside a measurement.
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
    const fastest = (html: string) => Math.min(time(html), time(html), time(html), time(html), time(html));
    for (const unit of ['<a', '<!--', '<div class="x', '<div>']) {
      time(unit.repeat(10_000));
      // Inputs large enough that each run takes milliseconds, not fractions: a timer tick or a GC pause
      // then cannot pass for growth. The old regex took seconds at the small size already.
      const small = fastest(unit.repeat(100_000));
      const large = fastest(unit.repeat(800_000));
      // 8x the input: linear is about 8x the time, quadratic 64x; 24x leaves room for a busy machine.
      expect(large, unit).toBeLessThan(Math.max(small, 2) * 24);
    }
  });
});
