import { parse } from 'csv-parse/sync';
import { type ImportProblem, type ImportRequest, type ImportResult, PersonCreate } from '../../core/admin/wire';
import { hashPassword } from '../auth/password';
import type { Db } from '../db/db';
import { HttpError, badRequest } from '../http/errors';
import { actorOf } from './audit';
import { type AfterCommit, createPerson, nothingAfter, ssoOnlyHash } from './people';

/**
 * Bulk import of people from CSV (issue 16). csv-parse does the CSV (RFC 4180 quoting, embedded commas
 * and newlines, a BOM from Excel, ragged rows reported with their line) because a hand-rolled split on
 * commas breaks on the first quoted display name; it is the most used CSV parser for Node and has no
 * dependencies. Every row is checked with the same schema the console's form uses, against the database
 * and against the other rows, and every problem is listed before anything is written. A real run with
 * any problem writes nothing; without problems it writes all rows in one transaction.
 *
 * Columns (header row, any order; only username and display_name are required):
 *   username, display_name, role, language, extension, teams (team names, ";"-separated), skills (";"),
 *   languages (";"), max_chats, password (empty: single sign-on only)
 */

const columns = ['username', 'display_name', 'role', 'language', 'extension', 'teams', 'skills', 'languages', 'max_chats', 'password'] as const;
const maxRows = 5000;
const list = (s: string | undefined) => (s ?? '').split(';').map((x) => x.trim()).filter(Boolean);
const fieldOf: Record<string, string> = { displayName: 'display_name', teamIds: 'teams', maxChats: 'max_chats' };

type Parsed = { line: number; input: ReturnType<typeof PersonCreate.parse> };

export async function importPeople(db: Db, actorId: string, req: ImportRequest): Promise<{ result: ImportResult; after: AfterCommit }> {
  let records: Record<string, string>[];
  let lines: number[];
  try {
    const raw = parse(req.csv, { bom: true, columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, info: true, relax_column_count: false }) as {
      record: Record<string, string>;
      info: { lines: number };
    }[];
    records = raw.map((r) => r.record);
    lines = raw.map((r) => r.info.lines);
  } catch (err) {
    throw badRequest(`The file is not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length === 0) throw badRequest('The file has no rows under its header.');
  if (records.length > maxRows) throw badRequest(`At most ${maxRows} rows per import; this file has ${records.length}.`);
  const header = Object.keys(records[0]!);
  const unknownColumns = header.filter((h) => !(columns as readonly string[]).includes(h));
  if (unknownColumns.length) throw badRequest(`Unknown column(s): ${unknownColumns.join(', ')}. Known: ${columns.join(', ')}.`);
  for (const needed of ['username', 'display_name']) if (!header.includes(needed)) throw badRequest(`The header has no "${needed}" column.`);

  const problems: ImportProblem[] = [];
  const { rows: teams } = await db.query<{ id: string; name: string }>('select id::text, name from teams');
  const teamByName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const parsed: Parsed[] = [];
  for (const [i, r] of records.entries()) {
    const line = lines[i]!;
    const unknownTeams = list(r.teams).filter((n) => !teamByName.has(n.toLowerCase()));
    for (const name of unknownTeams) problems.push({ line, field: 'teams', message: `no team named "${name}"` });
    const result = PersonCreate.safeParse({
      username: r.username ?? '',
      displayName: r.display_name ?? '',
      ...(r.role ? { role: r.role } : {}),
      ...(r.language ? { language: r.language } : {}),
      extension: r.extension ? r.extension : null,
      teamIds: list(r.teams).flatMap((n) => teamByName.get(n.toLowerCase()) ?? []),
      skills: list(r.skills),
      languages: list(r.languages),
      maxChats: r.max_chats ? Number(r.max_chats) : null,
      ...(r.password ? { password: r.password } : {}),
    });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? '');
        problems.push({ line, field: fieldOf[key] ?? (key || null), message: issue.message });
      }
    } else parsed.push({ line, input: result.data });
  }

  // Duplicates inside the file, then against the people already there.
  const seen = { username: new Map<string, number>(), extension: new Map<string, number>() };
  for (const { line, input } of parsed) {
    const u = seen.username.get(input.username);
    if (u) problems.push({ line, field: 'username', message: `"${input.username}" is also on line ${u}` });
    else seen.username.set(input.username, line);
    if (input.extension) {
      const e = seen.extension.get(input.extension);
      if (e) problems.push({ line, field: 'extension', message: `extension ${input.extension} is also on line ${e}` });
      else seen.extension.set(input.extension, line);
    }
  }
  const { rows: taken } = await db.query<{ username: string; extension: string | null }>(
    'select username, extension from users where username = any($1::text[]) or extension = any($2::text[])',
    [[...seen.username.keys()], [...seen.extension.keys()]],
  );
  for (const t of taken) {
    const ul = seen.username.get(t.username);
    if (ul) problems.push({ line: ul, field: 'username', message: `the username "${t.username}" is already taken` });
    const el = t.extension ? seen.extension.get(t.extension) : undefined;
    if (el && t.extension) problems.push({ line: el, field: 'extension', message: `extension ${t.extension} is already ${t.username}'s` });
  }
  problems.sort((a, b) => a.line - b.line);

  const result: ImportResult = { dryRun: req.dryRun, rows: records.length, created: 0, problems };
  if (req.dryRun || problems.length) return { result, after: nothingAfter() };
  const hashes = new Map<number, string>();
  for (const { line, input } of parsed) hashes.set(line, input.password ? await hashPassword(input.password) : ssoOnlyHash);
  try {
    const after = await db.transaction(async (tx) => {
      const actor = await actorOf(tx, actorId);
      let sipChanged = false;
      for (const { line, input } of parsed) sipChanged = (await createPerson(tx, actor, { ...input, passwordHash: hashes.get(line)! })).after.sipChanged || sipChanged;
      return { ...nothingAfter(), sipChanged };
    });
    return { result: { ...result, created: parsed.length }, after };
  } catch (err) {
    // Someone took a username or extension between the check and the write: the transaction rolled back whole.
    if (err instanceof HttpError) return { result: { ...result, problems: [{ line: 1, field: null, message: `${err.message} Nothing was imported.` }] }, after: nothingAfter() };
    throw err;
  }
}
