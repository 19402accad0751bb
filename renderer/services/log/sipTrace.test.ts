import { describe, expect, it } from 'vitest';
import { createSipTrace } from './sipTrace';

const register = (n: number) => `REGISTER sip:pbx SIP/2.0\r\nCSeq: ${n} REGISTER\r\nAuthorization: Digest username="1003", nonce="n${n}nonce", response="r${n}response0123456789"\r\n\r\n`;

describe('SIP trace', () => {
  it('stores messages redacted, in order, both directions', () => {
    const trace = createSipTrace({ now: () => 5 });
    trace.record('out', register(1));
    trace.record('in', 'SIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\n\r\n');
    const entries = trace.entries();
    expect(entries.map((e) => e.direction)).toEqual(['out', 'in']);
    expect(entries[0]!.message).not.toContain('r1response');
    expect(entries[0]!.message).not.toContain('n1nonce');
    expect(entries[0]!.message).toContain('CSeq: 1 REGISTER');
  });

  it('keeps the most recent messages within its count and size bounds', () => {
    const trace = createSipTrace({ maxEntries: 3, maxChars: 10_000 });
    for (let i = 0; i < 10; i++) trace.record('out', register(i));
    expect(trace.entries().map((e) => /CSeq: (\d+)/.exec(e.message)?.[1])).toEqual(['7', '8', '9']);
    const small = createSipTrace({ maxChars: 300 });
    for (let i = 0; i < 10; i++) small.record('out', register(i));
    expect(small.entries().reduce((n, e) => n + e.message.length, 0)).toBeLessThanOrEqual(300);
    expect(small.entries().at(-1)!.message).toContain('CSeq: 9');
  });

  it('truncates a giant message to the wire limit', () => {
    const trace = createSipTrace();
    trace.record('in', `INVITE sip:a SIP/2.0\r\nX-Junk: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(trace.entries()[0]!.message.length).toBeLessThanOrEqual(16 * 1024);
  });

  it('takes no redaction time on the transport path: messages are redacted later, or when read', () => {
    const later: Array<() => void> = [];
    const trace = createSipTrace({ schedule: (work) => later.push(work) });
    trace.record('out', register(1));
    trace.record('out', register(2));
    expect(later).toHaveLength(1);
    later[0]!();
    trace.record('in', register(3));
    const entries = trace.entries();
    expect(entries.map((e) => /CSeq: (\d+)/.exec(e.message)?.[1])).toEqual(['1', '2', '3']);
    expect(JSON.stringify(entries)).not.toMatch(/r[123]response/);
  });
});
