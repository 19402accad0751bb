import { describe, expect, it } from 'vitest';
import { defaultReadinessPolicy, gateAvailable, judgeEcho, judgeMicrophone, judgeSipServer, overallVerdict, ReadinessPolicy, type ReadinessResult } from './readiness';

const required = ReadinessPolicy.parse({ mode: 'required' });
const result = (overall: ReadinessResult['overall'], overridden = false): ReadinessResult => ({ at: 0, overall, items: [], overridden });

describe('readiness verdicts', () => {
  it('a clean loopback echo passes; 10% loss or 300 ms more round trip fails with the network named', () => {
    expect(judgeEcho({ rttMs: 120, jitterMs: 1, lossPct: 0, packetsReceived: 180, codec: 'PCMU' }, defaultReadinessPolicy)).toMatchObject({ verdict: 'pass', reason: 'ok' });
    expect(judgeEcho({ rttMs: 120, jitterMs: 1, lossPct: 10, packetsReceived: 180, codec: 'PCMU' }, defaultReadinessPolicy)).toMatchObject({ verdict: 'fail', reason: 'echo-poor' });
    expect(judgeEcho({ rttMs: 420, jitterMs: 1, lossPct: 0, packetsReceived: 180, codec: 'PCMU' }, defaultReadinessPolicy)).toMatchObject({ verdict: 'fail', reason: 'echo-poor' });
    expect(judgeEcho({ rttMs: 340, jitterMs: 1, lossPct: 0, packetsReceived: 180, codec: 'PCMU' }, defaultReadinessPolicy)).toMatchObject({ verdict: 'warn', reason: 'echo-fair' });
  });

  it('an echo call that brings nothing back fails as silent, not as a good network', () => {
    expect(judgeEcho({ rttMs: null, jitterMs: 0, lossPct: 0, packetsReceived: 0, codec: 'PCMU' }, defaultReadinessPolicy)).toMatchObject({ verdict: 'fail', reason: 'echo-no-audio' });
  });

  it('policy thresholds move the line', () => {
    const strict = ReadinessPolicy.parse({ maxRttMs: 100 });
    expect(judgeEcho({ rttMs: 120, jitterMs: 1, lossPct: 0, packetsReceived: 180, codec: 'PCMU' }, strict).verdict).toBe('fail');
  });

  it('microphone and phone server', () => {
    expect(judgeMicrophone(-90)).toMatchObject({ verdict: 'fail', reason: 'mic-silent' });
    expect(judgeMicrophone(-60)).toMatchObject({ verdict: 'warn', reason: 'mic-quiet' });
    expect(judgeMicrophone(-20)).toMatchObject({ verdict: 'pass' });
    expect(judgeSipServer(null)).toMatchObject({ verdict: 'fail', reason: 'sip-unreachable' });
    expect(judgeSipServer(12)).toMatchObject({ verdict: 'pass', values: { rttMs: 12 } });
  });

  it('overall is the worst item; skipped items count for nothing', () => {
    expect(overallVerdict([judgeMicrophone(-20), { id: 'turn', verdict: 'skipped', reason: 'turn-not-configured', values: {} }])).toBe('pass');
    expect(overallVerdict([judgeMicrophone(-60), judgeSipServer(null)])).toBe('fail');
  });
});

describe('the Available gate', () => {
  it('only a required check gates; a pass or a warning lets the agent through', () => {
    expect(gateAvailable(defaultReadinessPolicy, null)).toEqual({ allow: true });
    expect(gateAvailable(required, null)).toEqual({ allow: false, canOverride: false, why: 'not-run' });
    expect(gateAvailable(required, result('warn'))).toEqual({ allow: true });
    expect(gateAvailable(required, result('fail'))).toEqual({ allow: false, canOverride: false, why: 'failed' });
  });

  it('an override needs the policy to allow it, and a check that ran', () => {
    const lenient = ReadinessPolicy.parse({ mode: 'required', allowOverride: true });
    expect(gateAvailable(lenient, result('fail'))).toEqual({ allow: false, canOverride: true, why: 'failed' });
    expect(gateAvailable(lenient, null)).toMatchObject({ canOverride: false });
    expect(gateAvailable(lenient, result('fail', true))).toEqual({ allow: true });
  });
});
