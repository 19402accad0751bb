import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SlaPolicyInput, TeamSlaSettings } from '../../core/sla/policy';
import type { AlarmList, TeamSlaSettingsView } from '../../core/wire/sla';
import { type ChatWorld, createChatWorld, startChat } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';

/**
 * Issue 14: escalation in two levels, set in the policy editor. warn → breach → (breach unacknowledged for
 * escalateAfter) the escalation contact → (that unacknowledged for escalateAgainAfter) the admins.
 */
let w: ChatWorld;
beforeEach(async () => {
  w = await createChatWorld();
});
afterEach(async () => {
  await w.close();
});

const chatPolicy = (over: Partial<SlaPolicyInput> = {}): SlaPolicyInput => ({
  channel: 'chat',
  priority: 'any',
  firstResponseSeconds: 60,
  nextResponseSeconds: null,
  resolutionSeconds: null,
  warnPercent: 80,
  businessHours: false,
  escalateAfterSeconds: 120,
  escalationUserId: null,
  ...over,
});
const settings = (policy: SlaPolicyInput): TeamSlaSettings => ({ timeZone: 'Europe/Berlin', hours: [], holidays: [], policies: [policy] });
const put = (who: Person, body: unknown) => w.app.inject({ method: 'PUT', url: `/sla/teams/${w.teamA}/settings`, headers: who.auth, payload: body as object });
const levelsFor = async (who: Person) => (await w.app.inject({ method: 'GET', url: '/sla/alarms', headers: who.auth })).json<AlarmList>().alarms.map((a) => a.level).sort();
const scanAt = async (ms: number) => {
  w.clock.now = ms;
  return (await w.sla.scanOnce()).map((a) => a.level);
};

describe('escalation levels', () => {
  test('an unacknowledged breach goes to the contact, and when the contact does not acknowledge either, on to the admins, once', async () => {
    const saved = await put(w.lead, settings(chatPolicy({ escalationUserId: w.lead.id, escalateAgainAfterSeconds: 300 })));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<TeamSlaSettingsView>().policies[0]).toMatchObject({ escalationUserId: w.lead.id, escalateAgainAfterSeconds: 300 });
    const start = w.clock.now;
    await startChat(w);
    expect(await scanAt(start + 48_000)).toEqual(['warning']);
    expect(await scanAt(start + 60_000)).toEqual(['breach']);
    expect(await scanAt(start + 180_000)).toEqual(['escalation']);
    // The admins do not have it yet: the contact has 5 minutes.
    expect(await levelsFor(w.admin)).not.toContain('escalation_admins');
    expect(await scanAt(start + 479_000)).toEqual([]);
    expect(await scanAt(start + 480_000)).toEqual(['escalation_admins']);
    expect(await scanAt(start + 900_000)).toEqual([]);
    expect(await levelsFor(w.admin)).toEqual(['breach', 'escalation', 'escalation_admins', 'warning']);
    // The agent sees neither escalation.
    expect(await levelsFor(w.anna)).not.toContain('escalation_admins');
  });

  test('the contact acknowledging the escalation stops it there; without a second delay there is one level only', async () => {
    await put(w.lead, settings(chatPolicy({ escalationUserId: w.lead.id, escalateAgainAfterSeconds: 300 })));
    const start = w.clock.now;
    await startChat(w);
    await scanAt(start + 60_000);
    w.clock.now = start + 180_000;
    const [escalation] = await w.sla.scanOnce();
    expect(escalation?.level).toBe('escalation');
    expect((await w.app.inject({ method: 'POST', url: `/sla/alarms/${escalation!.id}/ack`, headers: w.lead.auth })).statusCode).toBe(200);
    expect(await scanAt(start + 3_600_000)).toEqual([]);

    // One level: no second delay set.
    await put(w.lead, settings(chatPolicy({ escalationUserId: w.lead.id })));
    const again = w.clock.now;
    await startChat(w, { name: 'Second', language: 'en' });
    await scanAt(again + 60_000);
    expect(await scanAt(again + 180_000)).toEqual(['escalation']);
    expect(await scanAt(again + 3_600_000)).toEqual([]);
  });

  test('a second delay of zero or less is refused with a clear message', async () => {
    const res = await put(w.lead, settings(chatPolicy({ escalationUserId: w.lead.id, escalateAgainAfterSeconds: 0 })));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('policies.0.escalateAgainAfterSeconds: must be more than zero');
  });
});
