import { type FormEvent, useEffect, useState } from 'react';
import type { ReviewChannel, ReviewMessage, ReviewRecord, ReviewSearchQuery } from '../../../core/wire/review';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { Page } from '../../ui/EmptyState';
import './review.css';

const channels: readonly ReviewChannel[] = ['webchat', 'messaging', 'email', 'voice'];
const channelKey = (c: string) => `review.channel.${c}` as MessageKey;

type Form = { teamId: string; agentId: string; customer: string; channel: string; from: string; to: string; tag: string; csatMax: string; ticket: string };
const emptyForm: Form = { teamId: '', agentId: '', customer: '', channel: '', from: '', to: '', tag: '', csatMax: '', ticket: '' };

function toQuery(f: Form): ReviewSearchQuery {
  const q: ReviewSearchQuery = {};
  if (f.teamId) q.teamId = f.teamId;
  if (f.agentId) q.agentId = f.agentId;
  if (f.customer.trim()) q.customer = f.customer.trim();
  if (f.channel) q.channel = f.channel as ReviewChannel;
  if (f.from) q.from = f.from;
  if (f.to) q.to = f.to;
  if (f.tag.trim()) q.tag = f.tag.trim();
  if (f.csatMax) q.csatMax = Number(f.csatMax);
  if (f.ticket.trim()) q.ticket = Number(f.ticket.trim().replace(/^#/, ''));
  return q;
}

/** Conversation review for leads and admins: find any conversation of the teams they review, open its whole record. */
export function ReviewPage() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const scopes = useAppStore((s) => s.kpiScopes);
  const loadScopes = useAppStore((s) => s.loadKpiScopes);
  const search = useAppStore((s) => s.reviewSearch);
  const record = useAppStore((s) => s.reviewRecord);
  const searchReviews = useAppStore((s) => s.searchReviews);
  const openReview = useAppStore((s) => s.openReview);
  const closeReview = useAppStore((s) => s.closeReview);
  const [form, setForm] = useState<Form>(emptyForm);

  useEffect(() => {
    if (scopes.status === 'idle') void loadScopes();
  }, [scopes.status, loadScopes]);

  const teams = scopes.status === 'loaded' ? scopes.scopes.teams.filter((x) => x.teamView) : [];
  const agents = (form.teamId ? teams.filter((x) => x.id === form.teamId) : teams).flatMap((x) => x.agents);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void searchReviews(toQuery(form));
  };
  const when = (ms: number) => new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });

  if (record.status !== 'idle') {
    return (
      <Page title={t('review.record.title')} actions={<button type="button" className="button" data-testid="review-back" onClick={closeReview}>{t('review.back')}</button>}>
        {record.status === 'loading' ? <p>{t('review.loading')}</p> : null}
        {record.status === 'error' ? <p role="alert">{t('review.error', { message: record.message })}</p> : null}
        {record.status === 'loaded' ? <RecordView record={record.record} t={t} when={when} /> : null}
      </Page>
    );
  }

  return (
    <Page title={t('review.title')}>
      <form className="review-filters" onSubmit={submit} data-testid="review-filters">
        <label>
          {t('review.team')}
          <select value={form.teamId} onChange={set('teamId')} data-testid="review-team">
            <option value="">{t('review.allTeams')}</option>
            {teams.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </label>
        <label>
          {t('review.agent')}
          <select value={form.agentId} onChange={set('agentId')} data-testid="review-agent">
            <option value="">{t('review.anyAgent')}</option>
            {agents.map((a) => <option key={a.id} value={a.id}>{a.displayName}</option>)}
          </select>
        </label>
        <label>
          {t('review.customer')}
          <input value={form.customer} onChange={set('customer')} placeholder={t('review.customerHint')} data-testid="review-customer" />
        </label>
        <label>
          {t('review.channel')}
          <select value={form.channel} onChange={set('channel')} data-testid="review-channel">
            <option value="">{t('review.anyChannel')}</option>
            {channels.map((c) => <option key={c} value={c}>{t(channelKey(c))}</option>)}
          </select>
        </label>
        <label>
          {t('review.from')}
          <input type="date" value={form.from} onChange={set('from')} data-testid="review-from" />
        </label>
        <label>
          {t('review.to')}
          <input type="date" value={form.to} onChange={set('to')} data-testid="review-to" />
        </label>
        <label>
          {t('review.tag')}
          <input value={form.tag} onChange={set('tag')} data-testid="review-tag" />
        </label>
        <label>
          {t('review.csatMax')}
          <select value={form.csatMax} onChange={set('csatMax')} data-testid="review-csat">
            <option value="">{t('review.anyCsat')}</option>
            {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>≤ {n}</option>)}
          </select>
        </label>
        <label>
          {t('review.ticket')}
          <input value={form.ticket} onChange={set('ticket')} placeholder="#1042" data-testid="review-ticket" />
        </label>
        <button type="submit" className="button button--primary" data-testid="review-search">{t('review.search')}</button>
      </form>
      <p className="review-note">{t('review.auditNote')}</p>
      {search.status === 'error' ? <p role="alert">{t('review.error', { message: search.message })}</p> : null}
      {search.status === 'loading' ? <p>{t('review.loading')}</p> : null}
      {search.status === 'loaded' ? (
        <>
          <p className="review-note">{t('review.retention', { days: String(search.result.retentionDays) })}</p>
          {search.result.hits.length === 0 ? <p data-testid="review-empty">{t('review.none')}</p> : null}
          <table className="review-table" data-testid="review-results">
            <thead>
              <tr>
                <th>{t('review.col.when')}</th>
                <th>{t('review.col.channel')}</th>
                <th>{t('review.col.agent')}</th>
                <th>{t('review.col.customer')}</th>
                <th>{t('review.col.ticket')}</th>
                <th>{t('review.col.csat')}</th>
              </tr>
            </thead>
            <tbody>
              {search.result.hits.map((h) => (
                <tr key={h.id} data-testid="review-hit" tabIndex={0} onClick={() => void openReview(h.id)} onKeyDown={(e) => e.key === 'Enter' && void openReview(h.id)}>
                  <td>{when(h.createdAt)}</td>
                  <td>{t(channelKey(h.channel))}</td>
                  <td>{h.agentName ?? '—'}</td>
                  <td>{h.customerName}{h.customerEmail ? ` · ${h.customerEmail}` : ''}</td>
                  <td>#{h.ticketNumber} {h.ticketSubject}{h.tags.length ? ` [${h.tags.join(', ')}]` : ''}</td>
                  <td>{h.csat ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {search.result.next ? (
            <button type="button" className="button" onClick={() => void searchReviews({ ...search.query, after: search.result.next! }, true)}>
              {t('review.more')}
            </button>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

const authorKey = (m: ReviewMessage): MessageKey =>
  m.author === 'coach' ? 'review.author.whisper' : m.kind === 'note' ? 'review.author.note' : (`review.author.${m.author}` as MessageKey);

function RecordView({ record, t, when }: { record: ReviewRecord; t: Translate; when: (ms: number) => string }) {
  const c = record.conversation;
  return (
    <div className="review-record" data-testid="review-record">
      <dl className="review-meta">
        <dt>{t('review.col.channel')}</dt><dd>{t(channelKey(c.channel))}</dd>
        <dt>{t('review.col.agent')}</dt><dd>{c.agentName ?? '—'}</dd>
        <dt>{t('review.col.customer')}</dt><dd>{c.customerName}{c.customerEmail ? ` · ${c.customerEmail}` : ''}</dd>
        <dt>{t('review.col.ticket')}</dt><dd>#{c.ticketNumber} {c.ticketSubject}</dd>
        <dt>{t('review.tag')}</dt><dd>{c.tags.join(', ') || '—'}</dd>
        <dt>{t('review.col.when')}</dt><dd>{when(c.createdAt)}{c.closedAt ? ` – ${when(c.closedAt)}` : ''}</dd>
        <dt>{t('review.transfers')}</dt><dd>{c.transfers}</dd>
      </dl>
      <h2>{t('review.transcript')}</h2>
      <ol className="review-transcript" data-testid="review-transcript">
        {record.messages.map((m) => (
          <li key={m.seq} className={`review-msg review-msg--${m.author === 'coach' ? 'whisper' : m.kind === 'note' ? 'note' : m.author}`}>
            <span className="review-msg__who">{t(authorKey(m))}{m.authorName ? ` · ${m.authorName}` : ''}</span>
            <span className="review-msg__at">{when(m.at)}</span>
            <p className="review-msg__body">{m.body}</p>
          </li>
        ))}
      </ol>
      <h2>{t('review.attachments')}</h2>
      {record.attachments.length ? <ul>{record.attachments.map((a) => <li key={a.id}>{a.name} ({a.mime}, {Math.ceil(a.size / 1024)} KB)</li>)}</ul> : <p>—</p>}
      <h2>{t('review.wrapUp')}</h2>
      <p>{record.wrapUp ? `${Math.round(record.wrapUp.wrapUpMs / 1000)} s${record.wrapUp.disposition ? ` · ${record.wrapUp.disposition}` : ''}` : '—'}</p>
      <h2>{t('review.survey')}</h2>
      {record.survey ? (
        <dl className="review-meta" data-testid="review-survey">
          <dt>{t('review.col.csat')}</dt><dd>{record.survey.score} / 5</dd>
          <dt>{t('review.survey.liked')}</dt><dd>{record.survey.liked || '—'}</dd>
          <dt>{t('review.survey.disliked')}</dt><dd>{record.survey.disliked || '—'}</dd>
          <dt>{t('review.survey.improve')}</dt><dd>{record.survey.improve || '—'}</dd>
        </dl>
      ) : <p>{t('review.survey.none')}</p>}
    </div>
  );
}
