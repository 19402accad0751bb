import type { AuditEntry } from '../../core/admin/wire';
import type { Queryable } from '../db/db';

/**
 * One audit for every admin change (admin_audit, 0150-admin.sql): who, when, the row before and after.
 * Written in the change's own transaction, so there is no change without its line and no line without
 * its change. Secrets are never written: the callers pass rows without them, or "(set)" in their place.
 */

export type AuditActor = { userId: string | null; label: string };

export async function audit(tx: Queryable, actor: AuditActor, action: string, entity: string, entityId: string | null, before: unknown, after: unknown): Promise<void> {
  await tx.query('insert into admin_audit (actor_id, actor_label, action, entity, entity_id, before, after) values ($1, $2, $3, $4, $5, $6, $7)', [
    actor.userId,
    actor.label,
    action,
    entity,
    entityId,
    before === null || before === undefined ? null : JSON.stringify(before),
    after === null || after === undefined ? null : JSON.stringify(after),
  ]);
}

/** The caller as the audit names them: their username, read once per change. */
export async function actorOf(q: Queryable, userId: string): Promise<AuditActor> {
  const { rows } = await q.query<{ username: string }>('select username from users where id = $1', [userId]);
  return { userId, label: rows[0]?.username ?? userId };
}

export async function listAudit(q: Queryable, { entity, entityId, limit }: { entity?: string; entityId?: string; limit: number }): Promise<AuditEntry[]> {
  const { rows } = await q.query<{ id: string; at: Date; actor_label: string; action: string; entity: string; entity_id: string | null; before: unknown; after: unknown }>(
    `select id::text, at, actor_label, action, entity, entity_id, before, after from admin_audit
     where ($1::text is null or entity = $1) and ($2::text is null or entity_id = $2)
     order by at desc, id desc limit $3`,
    [entity ?? null, entityId ?? null, limit],
  );
  return rows.map((r) => ({ id: r.id, at: new Date(r.at).toISOString(), actor: r.actor_label, action: r.action, entity: r.entity, entityId: r.entity_id, before: r.before, after: r.after }));
}
