import { ConfigError } from '../config';
import type { Queryable } from '../db/db';

/**
 * The company's PBX that holds queue calls, configured by IT with one variable:
 * `SWITCHBOARD_QUEUE_PBX=<id>:<secret>` (id: lower-case letters, digits, dashes; secret: 16+ characters).
 * The PBX signs its requests to /pbx/<id>/queue-calls… with the secret (core/wire/queues.ts). Written at
 * every start, so rotating the secret is a restart with the new value.
 */
export type QueuePbxConnector = { id: string; secret: string };

export function loadQueuePbxConnector(env: Readonly<Record<string, string | undefined>> = process.env): QueuePbxConnector | null {
  const raw = env.SWITCHBOARD_QUEUE_PBX;
  if (!raw) return null;
  const colon = raw.indexOf(':');
  const id = colon < 0 ? '' : raw.slice(0, colon);
  const secret = colon < 0 ? '' : raw.slice(colon + 1);
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id)) throw new ConfigError('Invalid server configuration: SWITCHBOARD_QUEUE_PBX: must be <id>:<secret>, the id lower-case letters, digits and dashes');
  if (secret.length < 16) throw new ConfigError('Invalid server configuration: SWITCHBOARD_QUEUE_PBX: the secret must be at least 16 characters');
  return { id, secret };
}

export async function saveQueuePbxConnector(db: Queryable, c: QueuePbxConnector): Promise<void> {
  await db.query(
    "insert into pbx_connectors (id, name, secret) values ($1, 'PBX (SWITCHBOARD_QUEUE_PBX)', $2) on conflict (id) do update set secret = excluded.secret",
    [c.id, c.secret],
  );
}
