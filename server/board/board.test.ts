import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KpiReport } from '../../core/kpi/wire';
import { BoardSnapshot, BreakReasonList, FloorSettings, PresenceConfig } from '../../core/wire/board';
import { type ChatWorld, type Customer, createChatWorld, startChat } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';
import { todayFigures } from './today';

/**
 * The wallboard's figures on a clock the test moves, hand-computed; break reasons and their validation;
 * the team's wrap-up limit. Team A (anna, bo, lead) and team B (zed) of the chat test world.
 */
let w: ChatWorld;
const T0 = Date.parse('2026-03-02T09:00:00Z'); // 10:00 in Berlin
const at = (s: number) => T0 + s * 1000;

beforeAll(async () => {
  w = await createChatWorld();
});
afterAll(async () => {
  await w?.close();
});

const put = (who: Person, url: string, payload: object) => w.app.inject({ method: 'PUT', url, headers: who.auth, payload });
const get = (who: Person, url: string) => w.app.inject({ method: 'GET', url, headers: who.auth });
const presence = (who: Person, payload: object) => w.app.inject({ method: 'POST', url: '/presence', headers: who.auth, payload });
const accept = async (who: Person, c: Customer) => {
  const res = await w.app.inject({ method: 'POST', url: `/chat/conversations/${c.conversationId}/accept`, headers: who.auth });
  expect(res.statusCode, res.body).toBe(200);
};
const leave = async (c: Customer) => {
  const res = await w.app.inject({ method: 'POST', url: '/widget/close', headers: c.auth });
  expect(res.statusCode, res.body).toBe(200);
};
const snapshot = async (teamId: string) => BoardSnapshot.parse((await get(w.lead, `/board/teams/${teamId}`)).json());

describe('wallboard figures', () => {
  test('per queue and today, hand-computed, with "today" in the team\'s time zone', async () => {
    const floor = await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: null, wrapUpNext: 'available', answerTargetSeconds: 60, timeZone: 'Europe/Berlin' });
    expect(floor.statusCode, floor.body).toBe(200);

    // 23:30 UTC the day before = 00:30 in Berlin: today for the team, yesterday in UTC. It leaves at once.
    w.clock.now = Date.parse('2026-03-01T23:30:00Z');
    const early = await startChat(w, { name: 'Early', language: 'en', product: 'billing' });
    w.clock.now += 60_000;
    await leave(early);

    w.clock.now = at(0);
    const c1 = await startChat(w, { name: 'One', language: 'en' });
    w.clock.now = at(10);
    const c2 = await startChat(w, { name: 'Two', language: 'en' });
    w.clock.now = at(20);
    const c3 = await startChat(w, { name: 'Three', language: 'en' });
    w.clock.now = at(50);
    await accept(w.anna, c1); // answered after 50 s: within the 60 s target
    w.clock.now = at(100);
    await leave(c2); // nobody answered: abandoned
    w.clock.now = at(200);
    await accept(w.bo, c3); // answered after 180 s: outside the target
    w.clock.now = at(250);
    await startChat(w, { name: 'Four', language: 'en' }); // still waiting
    w.clock.now = at(300);

    const snap = await snapshot(w.teamA);
    const en = snap.queues.find((q) => q.id === w.queues.en)!;
    expect(en).toEqual({ id: w.queues.en, name: 'English', waiting: 1, oldestSince: at(250), answeredHour: 2, withinTargetHour: 1, abandonedHour: 1 });
    const billing = snap.queues.find((q) => q.id === w.queues.enBilling)!;
    // The early one left 9.5 hours ago: not in the last hour.
    expect(billing).toMatchObject({ waiting: 0, oldestSince: null, answeredHour: 0, withinTargetHour: 0, abandonedHour: 0 });
    expect(snap.today).toEqual({ date: '2026-03-02', offered: 5, answered: 2, answeredWithinTarget: 1, handled: 0, abandoned: 2, averageAnswerSeconds: 115 });
    expect(snap.team.timeZone).toBe('Europe/Berlin');
    const anna = snap.agents.find((a) => a.id === w.anna.id)!;
    expect(anna).toMatchObject({ chats: 1, presence: 'offline', connected: false, call: null });

    // Anna ends her chat: handled. An hour later the last-hour figures are empty, today's are not.
    w.clock.now = at(310);
    expect((await w.app.inject({ method: 'POST', url: `/chat/conversations/${c1.conversationId}/close`, headers: w.anna.auth })).statusCode).toBe(200);
    // 3700 s: the window starts at 100 s, so only bo's answer at 200 s (late) is in it; the abandon at 100 s is not.
    w.clock.now = at(3700);
    expect((await snapshot(w.teamA)).queues.find((q) => q.id === w.queues.en)).toMatchObject({ waiting: 1, answeredHour: 1, withinTargetHour: 0, abandonedHour: 0 });
    w.clock.now = at(3900);
    const later = await snapshot(w.teamA);
    expect(later.queues.find((q) => q.id === w.queues.en)).toMatchObject({ waiting: 1, answeredHour: 0, withinTargetHour: 0, abandonedHour: 0 });
    expect(later.today).toMatchObject({ offered: 5, answered: 2, handled: 1, abandoned: 2 });

    // The same data counted in UTC: the early chat was yesterday.
    await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: null, wrapUpNext: 'available', answerTargetSeconds: 60, timeZone: 'UTC' });
    expect(await todayFigures(w.db, w.teamA, new Date(at(3900)))).toMatchObject({ date: '2026-03-02', offered: 4, abandoned: 1 });
  });

  test("the wallboard's today and the KPI page's Day report give the same figures for the same day", async () => {
    // Yesterday's contacts are rolled up by then; today's are live: both read the one event log.
    w.clock.now = at(3950);
    const today = (await snapshot(w.teamA)).today;
    const res = await get(w.lead, `/kpi/report?teamId=${w.teamA}&period=day&anchor=${today.date}`);
    expect(res.statusCode, res.body).toBe(200);
    const total = KpiReport.parse(res.json()).current.total;
    expect(today).toEqual({
      date: '2026-03-02',
      offered: total.offered,
      answered: total.answered,
      answeredWithinTarget: total.answeredWithin,
      handled: total.handled,
      abandoned: total.abandoned,
      averageAnswerSeconds: Math.round(total.waitMs / total.answered / 100) / 10,
    });
    // And the figures are the hand-computed ones above (UTC day: the early chat was yesterday).
    expect(today).toMatchObject({ offered: 4, answered: 2, answeredWithinTarget: 1, handled: 1, abandoned: 1, averageAnswerSeconds: 115 });

    // Raising the answer target later does not rewrite the answers already counted (each carries its target).
    await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: null, wrapUpNext: 'available', answerTargetSeconds: 600, timeZone: 'UTC' });
    expect((await snapshot(w.teamA)).today.answeredWithinTarget).toBe(1);
    await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: null, wrapUpNext: 'available', answerTargetSeconds: 60, timeZone: 'UTC' });
  });

  test('a lead of team A reads nothing of team B; an agent reads no board', async () => {
    expect((await get(w.lead, `/board/teams/${w.teamB}`)).statusCode).toBe(403);
    expect((await get(w.anna, `/board/teams/${w.teamA}`)).statusCode).toBe(403);
    expect((await get(w.admin, `/board/teams/${w.teamB}`)).statusCode).toBe(200);
    expect((await put(w.lead, `/teams/${w.teamB}/break-reasons`, { reasons: [] })).statusCode).toBe(403);
    expect((await put(w.anna, `/teams/${w.teamA}/break-reasons`, { reasons: [] })).statusCode).toBe(403);
  });
});

describe('break reasons', () => {
  const labels = (en: string) => ({ en, 'zh-CN': `${en}（简）`, 'zh-TW': `${en}（繁）` });

  test('the lead edits the list; an agent goes on break with one, and the board shows it', async () => {
    const res = await put(w.lead, `/teams/${w.teamA}/break-reasons`, { reasons: [{ code: 'lunch', labels: labels('Lunch') }, { code: 'training', labels: labels('Training') }] });
    expect(res.statusCode, res.body).toBe(200);
    const [lunch, training] = BreakReasonList.parse(res.json()).reasons;
    expect(lunch).toMatchObject({ code: 'lunch', active: true, labels: { 'zh-CN': 'Lunch（简）' } });

    const config = PresenceConfig.parse((await get(w.anna, '/presence/config')).json());
    expect(config.reasons.map((r) => r.code)).toEqual(['lunch', 'training']);

    w.clock.now = at(4000);
    const ok = await presence(w.anna, { presence: 'break', reasonId: lunch!.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ presence: 'break', reasonId: lunch!.id, since: at(4000) });
    const snap = await snapshot(w.teamA);
    expect(snap.agents.find((a) => a.id === w.anna.id)).toMatchObject({ presence: 'break', since: at(4000), reason: { code: 'lunch', labels: { en: 'Lunch' } } });

    // Same presence, same reason again: the time in state keeps running.
    w.clock.now = at(4010);
    expect((await presence(w.anna, { presence: 'break', reasonId: lunch!.id })).json()).toMatchObject({ since: at(4000) });
    // Another reason: a new state.
    expect((await presence(w.anna, { presence: 'break', reasonId: training!.id })).json()).toMatchObject({ since: at(4010) });

    // Training retired (left out of the list): agents can no longer pick it, history keeps the row.
    await put(w.lead, `/teams/${w.teamA}/break-reasons`, { reasons: [{ id: lunch!.id, code: 'lunch', labels: labels('Lunch break') }] });
    const all = BreakReasonList.parse((await get(w.lead, `/teams/${w.teamA}/break-reasons`)).json()).reasons;
    expect(all.map((r) => [r.code, r.active])).toEqual([['lunch', true], ['training', false]]);
    const retired = await presence(w.bo, { presence: 'break', reasonId: training!.id });
    expect(retired.statusCode).toBe(400);
    expect(retired.json().error.message).toContain('retired');
  });

  test('an unknown reason, another team\'s reason, or a reason without break is refused clearly, and presence stays', async () => {
    const teamB = BreakReasonList.parse((await put(w.admin, `/teams/${w.teamB}/break-reasons`, { reasons: [{ code: 'lunch', labels: labels('Lunch') }] })).json()).reasons[0]!;
    const mine = PresenceConfig.parse((await get(w.bo, '/presence/config')).json()).reasons[0]!;
    await presence(w.bo, { presence: 'available' });

    const unknown = await presence(w.bo, { presence: 'break', reasonId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toBe("Invalid body: reasonId: not one of your team's break reasons");
    const foreign = await presence(w.bo, { presence: 'break', reasonId: teamB.id });
    expect(foreign.statusCode).toBe(400);
    const withoutBreak = await presence(w.bo, { presence: 'available', reasonId: mine.id });
    expect(withoutBreak.statusCode).toBe(400);
    expect(withoutBreak.json().error.message).toContain('only with "break"');
    const garbage = await presence(w.bo, { presence: 'break', reasonId: 'lunch' });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.message).toContain('a break reason id is a UUID');

    const snap = await snapshot(w.teamA);
    expect(snap.agents.find((a) => a.id === w.bo.id)).toMatchObject({ presence: 'available', reason: null });
  });

  test('a list with a code twice, or another team\'s reason id, is refused and nothing is saved', async () => {
    const before = (await get(w.lead, `/teams/${w.teamA}/break-reasons`)).body;
    const twice = await put(w.lead, `/teams/${w.teamA}/break-reasons`, { reasons: [{ code: 'meeting', labels: labels('Meeting') }, { code: 'meeting', labels: labels('Meeting 2') }] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.message).toContain('"meeting" is used twice');
    const foreignId = BreakReasonList.parse((await get(w.admin, `/teams/${w.teamB}/break-reasons`)).json()).reasons[0]!.id;
    const foreign = await put(w.lead, `/teams/${w.teamA}/break-reasons`, { reasons: [{ id: foreignId, code: 'stolen', labels: labels('Stolen') }] });
    expect(foreign.statusCode).toBe(400);
    const emptyLabel = await put(w.lead, `/teams/${w.teamA}/break-reasons`, { reasons: [{ code: 'x', labels: { en: ' ', 'zh-CN': 'x', 'zh-TW': 'x' } }] });
    expect(emptyLabel.statusCode).toBe(400);
    expect(emptyLabel.json().error.message).toContain('the English label is empty');
    expect((await get(w.lead, `/teams/${w.teamA}/break-reasons`)).body).toBe(before);
  });
});

describe('wrap-up limit', () => {
  test('after-call work ends into the team\'s choice when the limit passes, not before', async () => {
    const res = await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: 30, wrapUpNext: 'busy', answerTargetSeconds: 60, timeZone: 'Europe/Berlin' });
    expect(FloorSettings.parse(res.json()).wrapUpLimitSeconds).toBe(30);
    const bad = await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: 30, wrapUpNext: 'after-call', answerTargetSeconds: 60, timeZone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    const badZone = await put(w.lead, `/teams/${w.teamA}/floor-settings`, { wrapUpLimitSeconds: 30, wrapUpNext: 'busy', answerTargetSeconds: 60, timeZone: 'Mars/Olympus' });
    expect(badZone.json().error.message).toContain('"Mars/Olympus" is not a time zone');
    expect(PresenceConfig.parse((await get(w.anna, '/presence/config')).json()).floor).toMatchObject({ wrapUpLimitSeconds: 30, wrapUpNext: 'busy' });

    w.clock.now = at(5000);
    await presence(w.anna, { presence: 'after-call' });
    await presence(w.zed, { presence: 'after-call' }); // team B has no limit
    w.clock.now = at(5029);
    await w.board.expireWrapUps();
    expect((await snapshot(w.teamA)).agents.find((a) => a.id === w.anna.id)).toMatchObject({ presence: 'after-call', since: at(5000) });
    w.clock.now = at(5030);
    await w.board.expireWrapUps();
    expect((await snapshot(w.teamA)).agents.find((a) => a.id === w.anna.id)).toMatchObject({ presence: 'busy', since: at(5030) });
    w.clock.now = at(9000);
    await w.board.expireWrapUps();
    const b = BoardSnapshot.parse((await get(w.admin, `/board/teams/${w.teamB}`)).json());
    expect(b.agents.find((a) => a.id === w.zed.id)).toMatchObject({ presence: 'after-call' });
  });
});
