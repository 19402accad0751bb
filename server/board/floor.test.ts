import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KpiReport } from '../../core/kpi/wire';
import { TeamFloor } from '../../core/wire/board';
import { type ChatWorld, createChatWorld } from '../../tests/support/server/chatWorld';
import type { Person } from '../../tests/support/server/syncWorld';

/**
 * The floor editor's one save (PUT /teams/:teamId/floor): floor settings, break reasons and the first-contact
 * resolution window in one transaction. Before, the editor saved in two requests, and a refused second one
 * left the first half-saved.
 */
let w: ChatWorld;
beforeAll(async () => {
  w = await createChatWorld();
});
afterAll(async () => {
  await w?.close();
});

const labels = (en: string) => ({ en, 'zh-CN': `${en}（简）`, 'zh-TW': `${en}（繁）` });
const floorOf = async (who: Person) => w.app.inject({ method: 'GET', url: `/teams/${w.teamA}/floor`, headers: who.auth });
const save = (who: Person, payload: object) => w.app.inject({ method: 'PUT', url: `/teams/${w.teamA}/floor`, headers: who.auth, payload });
const floor = { wrapUpLimitSeconds: 60, wrapUpNext: 'available', answerTargetSeconds: 30, timeZone: 'Asia/Shanghai' };

describe("the floor editor's one save", () => {
  test('settings, reasons and the FCR window are saved together, and the KPI report counts with the new window', async () => {
    const res = await save(w.lead, { floor, reasons: [{ code: 'lunch', labels: labels('Lunch') }], fcrWindowDays: 3 });
    expect(res.statusCode, res.body).toBe(200);
    const saved = TeamFloor.parse(res.json());
    expect(saved).toMatchObject({ floor, fcrWindowDays: 3, reasons: [{ code: 'lunch', active: true }] });
    expect(TeamFloor.parse((await floorOf(w.lead)).json())).toEqual(saved);
    const report = await w.app.inject({ method: 'GET', url: `/kpi/report?teamId=${w.teamA}&period=day&anchor=2026-03-02`, headers: w.lead.auth });
    expect(KpiReport.parse(report.json()).team.fcrWindowDays).toBe(3);
  });

  test('one bad part refuses the whole save with a clear message, and nothing of it is written', async () => {
    const before = (await floorOf(w.lead)).body;
    const cases: [object, string][] = [
      // A good new wrap-up limit and FCR window with a reason code twice: the limit must not be saved either.
      [{ floor: { ...floor, wrapUpLimitSeconds: 300 }, fcrWindowDays: 14, reasons: [{ code: 'x', labels: labels('X') }, { code: 'x', labels: labels('Y') }] }, '"x" is used twice'],
      // Reasons and window fine, the time zone unknown (checked after the window is written in the transaction).
      [{ floor: { ...floor, timeZone: 'Mars/Olympus' }, fcrWindowDays: 14, reasons: [{ code: 'meeting', labels: labels('Meeting') }] }, '"Mars/Olympus" is not a time zone'],
      [{ floor, fcrWindowDays: 0, reasons: [] }, 'the first-contact-resolution window is at least 1 day'],
      [{ floor, fcrWindowDays: 91, reasons: [] }, 'at most 90 days'],
    ];
    for (const [body, message] of cases) {
      const res = await save(w.lead, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message).toContain(message);
      expect((await floorOf(w.lead)).body).toBe(before);
    }
  });

  test("an agent, and a lead of another team, can neither read nor save the team's floor", async () => {
    expect((await floorOf(w.anna)).statusCode).toBe(403);
    expect((await save(w.anna, { floor, reasons: [], fcrWindowDays: 7 })).statusCode).toBe(403);
    const other = await w.app.inject({ method: 'PUT', url: `/teams/${w.teamB}/floor`, headers: w.lead.auth, payload: { floor, reasons: [], fcrWindowDays: 7 } });
    expect(other.statusCode).toBe(403);
  });
});
