import { useEffect, useState } from 'react';
import { coachModes, type CoachMode } from '../../../core/coaching/modes';
import type { LiveMember } from '../../../core/coaching/wire';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { formatDuration } from '../../../core/call/rules';
import { useCoaching } from './useCoaching';
import type { CoachingControls, LeadCoaching } from '../../services/coaching/coachingService';

/** Ticks once a second so durations move without refetching. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/** The lead's team, live: presence and time in it, current call with duration and line quality, open chats, raised hands, coaching. */
export function TeamLiveView(props: { teamId: string }) {
  const t = useT();
  const now = useNow();
  const { session, snap } = useCoaching();
  const { teamId } = props;
  useEffect(() => session?.watchTeam(teamId), [session, teamId]);
  const team = snap.team?.teamId === teamId ? snap.team : null;
  if (!session || !team) return null;
  const agents = team.live?.members.filter((m) => m.role === 'agent') ?? [];
  return (
    <section className="team-live" aria-labelledby="team-live-caption">
      <h2 id="team-live-caption" className="team-live__title">
        {t('coach.live')}
        {team.live && (
          <span className={`team-live__status${team.connected ? ' team-live__status--live' : ''}`} role="status" data-testid="team-live-status" data-live={team.connected}>
            {team.connected ? t('board.status.live') : t('board.status.reconnecting')}
          </span>
        )}
      </h2>
      {team.error && (
        <p className="alert" role="alert">
          {t('coach.liveError', { message: team.error })}
        </p>
      )}
      {snap.lead.status === 'error' && (
        <p className="alert" role="alert" data-testid="coach-error">
          {t('coach.error', { message: snap.lead.message })}
        </p>
      )}
      <table className="data-table" data-testid="team-live">
        <thead>
          <tr>
            <th scope="col">{t('team.col.name')}</th>
            <th scope="col">{t('coach.col.presence')}</th>
            <th scope="col">{t('coach.col.call')}</th>
            <th scope="col">{t('coach.col.chats')}</th>
            <th scope="col">{t('coach.col.coaching')}</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((m) => (
            <MemberRow key={m.id} m={m} now={now} lead={snap.lead} session={session} t={t} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MemberRow(props: { m: LiveMember; now: number; lead: LeadCoaching; session: CoachingControls; t: Translate }) {
  const { m, now, lead, session, t } = props;
  const select = useAppStore((s) => s.selectConversation);
  const goTo = useAppStore((s) => s.goTo);
  // The chat opens in the Inbox: read along, whisper (coaching notes) or take it over.
  const openChat = (id: string) => {
    select(id);
    goTo('inbox');
  };
  const mine = lead.status !== 'idle' && lead.agentId === m.id;
  const busyElsewhere = (lead.status === 'starting' || lead.status === 'active') && !mine;
  return (
    <tr data-testid={`live-${m.extension ?? m.id}`} data-presence={m.presence} data-call-id={m.call?.callId ?? ''} data-hand={m.hand ? 'raised' : 'down'}>
      <td>
        <span className="team__avatar" aria-hidden="true">
          {[...m.displayName][0]}
        </span>
        {m.displayName}
        {m.hand && (
          <span className="team-live__hand" role="status" data-testid="live-hand" title={m.hand.note}>
            ✋ {t('coach.hand')}
          </span>
        )}
      </td>
      <td>
        <span className={`presence-dot presence-dot--${m.presence}`} aria-hidden="true" /> {t(`presence.${m.presence}`)}
        {m.presenceSince !== null && <span className="team-live__muted"> · {formatDuration(now - m.presenceSince)}</span>}
      </td>
      <td>
        {m.call ? (
          <span data-testid="live-call">
            {m.call.remoteName ?? m.call.remote} · <span className="data-table__mono">{formatDuration(now - m.call.startedAt)}</span>
            {m.call.held && <span className="team-live__muted"> · {t('coach.held')}</span>}
            <span className={`team-live__band team-live__band--${m.call.band}`} data-band={m.call.band}>
              {t(`coach.quality.${m.call.band}`)}
            </span>
          </span>
        ) : (
          <span className="team-live__muted">{t('coach.noCall')}</span>
        )}
      </td>
      <td>
        <span className="data-table__mono">{m.openChats}</span>
        {m.chats.map((c) => (
          <button key={c.id} type="button" className="link-button team-live__chat" data-testid="live-chat" data-id={c.id} onClick={() => openChat(c.id)}>
            {c.customerName || t('inbox.customer.anonymous')}
          </button>
        ))}
      </td>
      <td>
        <CoachControls m={m} mine={mine} disabled={busyElsewhere} lead={lead} session={session} t={t} />
      </td>
    </tr>
  );
}

function CoachControls(props: { m: LiveMember; mine: boolean; disabled: boolean; lead: LeadCoaching; session: CoachingControls; t: Translate }) {
  const { m, mine, disabled, lead, session, t } = props;
  if (mine && lead.status === 'starting') return <span role="status">{t('coach.starting')}</span>;
  const active = mine && lead.status === 'active' ? lead : null;
  if (!m.call && !active) return m.coach ? <span className="team-live__muted">{t('coach.by', { name: m.coach.leadName })}</span> : null;
  const click = (mode: CoachMode) => {
    if (active) void session.setMode(mode);
    else if (m.call) void session.coach(m.id, m.call.callId, mode);
  };
  return (
    <div className="team-live__controls" role="group" aria-label={t('coach.col.coaching')} data-testid="coach-controls" data-mode={active?.mode ?? ''}>
      {coachModes.map((mode) => (
        <button
          key={mode}
          type="button"
          className={`button button--small${active?.mode === mode ? ' button--primary' : ''}`}
          data-testid={`coach-${mode}`}
          aria-pressed={active ? active.mode === mode : undefined}
          disabled={disabled || active?.switching === true}
          onClick={() => click(mode)}
        >
          {t(`coach.${mode}`)}
        </button>
      ))}
      {active && (
        <>
          <button type="button" className="button button--small" data-testid="coach-leave" onClick={() => void session.leave()}>
            {t('coach.leave')}
          </button>
          <span className="team-live__muted" role="status">
            {t(`coach.you.${active.mode}`)}
          </span>
        </>
      )}
    </div>
  );
}
