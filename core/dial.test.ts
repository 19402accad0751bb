import { describe, expect, it } from 'vitest';
import { parseDialLink } from './dial';

describe('parseDialLink', () => {
  it('reads tel:, callto: and sip: links', () => {
    expect(parseDialLink('tel:+49-30-1234 567')).toBe('+49301234567');
    expect(parseDialLink('tel:+86%20138%200013%208000')).toBe('+8613800138000');
    expect(parseDialLink('callto://+1(555)0100')).toBe('+15550100');
    expect(parseDialLink('callto:1001@pbx.example.com')).toBe('sip:1001@pbx.example.com');
    expect(parseDialLink('sip:1001@pbx.example.com;transport=ws?Subject=x')).toBe('sip:1001@pbx.example.com');
    expect(parseDialLink('SIPS:alice@example.com:5061')).toBe('sips:alice@example.com:5061');
  });
  it('refuses anything that is not a dialable target', () => {
    expect(parseDialLink('https://example.com')).toBeNull();
    expect(parseDialLink('tel:javascript:alert(1)')).toBeNull();
    expect(parseDialLink('sip:<script>@x')).toBeNull();
    expect(parseDialLink('tel:%E0%A4%A')).toBeNull();
    expect(parseDialLink('sip:@example.com')).toBeNull();
    expect(parseDialLink('tel:' + '1'.repeat(40))).toBeNull();
  });
});
