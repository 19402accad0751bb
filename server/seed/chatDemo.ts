import { randomUUID } from 'node:crypto';
import type { Locale } from '../../core/locale';
import type { Queryable } from '../db/db';

/**
 * Chat demo data, inside the demo seed's transaction: queues by skill for both teams, capacity 3 for
 * every agent, a messaging provider for trying the webhook, and a few open conversations (waiting and
 * active) with messages so the agent inbox is not empty on the first start.
 */
export const demoMessagingProvider = { id: 'demo-sms', secret: 'demo-sms-shared-secret-change-me', callbackUrl: 'http://127.0.0.1:8099/sms-callback' };

type Line = { who: 'customer' | 'agent'; body: string; minutesAgo: number };
type DemoChat = { team: 'shanghai' | 'berlin'; language: Locale; country: string; customer: string; agent: string | null; product?: string; lines: Line[] };

const chats: DemoChat[] = [
  {
    team: 'berlin', language: 'en', country: 'GB', customer: 'Emma Thompson', agent: null,
    lines: [
      { who: 'customer', body: 'Hi, my parcel says delivered but it is not here.', minutesAgo: 4 },
      { who: 'customer', body: 'Order SO-204817, tracking https://track.example/SO-204817', minutesAgo: 3 },
    ],
  },
  {
    team: 'berlin', language: 'en', country: 'DE', customer: 'Lukas Becker', agent: 'agent3', product: 'billing',
    lines: [
      { who: 'customer', body: 'I was charged twice for invoice INV-2025-00412.', minutesAgo: 12 },
      { who: 'agent', body: 'Sorry about that, Lukas. Let me check the payments for you.', minutesAgo: 10 },
      { who: 'customer', body: 'Thanks, the second charge was yesterday.', minutesAgo: 9 },
    ],
  },
  {
    team: 'shanghai', language: 'zh-CN', country: 'CN', customer: '张伟', agent: null,
    lines: [{ who: 'customer', body: '你好，我想修改收货地址。', minutesAgo: 2 }],
  },
  {
    team: 'shanghai', language: 'zh-CN', country: 'CN', customer: '刘洋', agent: 'agent1',
    lines: [
      { who: 'customer', body: '退款什么时候到账？', minutesAgo: 15 },
      { who: 'agent', body: '您好刘洋，退款一般在 3-5 个工作日内到账。', minutesAgo: 14 },
    ],
  },
  {
    team: 'shanghai', language: 'zh-TW', country: 'TW', customer: '林志明', agent: null,
    lines: [{ who: 'customer', body: '請問可以開立統一編號的發票嗎？', minutesAgo: 6 }],
  },
];

export async function seedChatDemo(
  tx: Queryable,
  ctx: { now: Date; teamIds: ReadonlyMap<string, string>; userIds: ReadonlyMap<string, string> },
): Promise<{ queues: number; conversations: number }> {
  const team = (key: string) => ctx.teamIds.get(key)!;
  const queues: [string, string, Locale | null, string | null, 'offer' | 'auto'][] = [
    ['Shanghai 简体', team('shanghai'), 'zh-CN', null, 'offer'],
    ['Shanghai 繁體', team('shanghai'), 'zh-TW', null, 'offer'],
    ['Berlin English', team('berlin'), 'en', null, 'offer'],
    ['Berlin billing', team('berlin'), 'en', 'billing', 'offer'],
  ];
  const queueIds = new Map<string, string>();
  for (const [name, teamId, language, product, mode] of queues) {
    const { rows } = await tx.query<{ id: string }>(
      'insert into chat_queues (name, team_id, language, product, mode) values ($1, $2, $3, $4, $5) returning id',
      [name, teamId, language, product, mode],
    );
    queueIds.set(`${teamId}:${language}:${product ?? ''}`, rows[0]!.id);
  }
  await tx.query("insert into agent_capacity (user_id, max_chats) select id, 3 from users where role in ('agent', 'lead')");
  await tx.query('insert into messaging_providers (id, name, secret, callback_url) values ($1, $2, $3, $4)', [
    demoMessagingProvider.id, 'Demo SMS gateway', demoMessagingProvider.secret, demoMessagingProvider.callbackUrl,
  ]);

  for (const chat of chats) {
    const at = (minutesAgo: number) => new Date(ctx.now.getTime() - minutesAgo * 60_000);
    const created = at(chat.lines[0]!.minutesAgo);
    const lastAt = at(chat.lines[chat.lines.length - 1]!.minutesAgo);
    const teamId = team(chat.team);
    const agentId = chat.agent ? ctx.userIds.get(chat.agent)! : null;
    const queueId = queueIds.get(`${teamId}:${chat.language}:${chat.product ?? ''}`)!;
    const { rows: c } = await tx.query<{ id: string }>(
      'insert into customers (name, language, country, created_at, updated_at) values ($1, $2, $3, $4, $4) returning id',
      [chat.customer, chat.language, chat.country, created],
    );
    const { rows: t } = await tx.query<{ id: string }>(
      `insert into tickets (subject, status, priority, customer_id, assignee_id, team_id, channel, sla_first_response_due, created_at, updated_at)
       values ($1, $2, 'normal', $3, $4, $5, 'chat', $6, $7, $8) returning id`,
      [`Chat with ${chat.customer}`, agentId ? 'open' : 'new', c[0]!.id, agentId, teamId, new Date(created.getTime() + 2 * 60_000), created, lastAt],
    );
    const unread = chat.lines.filter((l) => l.who === 'customer').length - (agentId ? 1 : 0);
    const { rows: v } = await tx.query<{ id: string }>(
      `insert into conversations (ticket_id, channel, customer_id, queue_id, team_id, assignee_id, state, language, country, product,
         last_seq, unread_for_agent, created_at, last_message_at, sla_due_at)
       values ($1, 'webchat', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
      [t[0]!.id, c[0]!.id, queueId, teamId, agentId, agentId ? 'active' : 'queued', chat.language, chat.country, chat.product ?? null,
        chat.lines.length, Math.max(0, unread), created, lastAt, new Date(created.getTime() + 2 * 60_000)],
    );
    if (agentId) {
      // Answered half a minute before the agent's first line (the wallboard's speed of answer).
      const firstReply = chat.lines.find((l) => l.who === 'agent');
      if (firstReply) await tx.query('update conversations set answered_at = $2 where id = $1', [v[0]!.id, new Date(at(firstReply.minutesAgo).getTime() - 30_000)]);
    }
    const { rows: agent } = agentId ? await tx.query<{ display_name: string }>('select display_name from users where id = $1', [agentId]) : { rows: [] };
    for (const [i, line] of chat.lines.entries()) {
      await tx.query(
        `insert into chat_messages (id, conversation_id, seq, author, author_id, author_name, kind, body, created_at)
         values ($1, $2, $3, $4, $5, $6, 'text', $7, $8)`,
        [randomUUID(), v[0]!.id, i + 1, line.who, line.who === 'agent' ? agentId : null, line.who === 'agent' ? (agent[0]?.display_name ?? null) : chat.customer,
          line.body, at(line.minutesAgo)],
      );
    }
  }
  return { queues: queues.length, conversations: chats.length };
}
