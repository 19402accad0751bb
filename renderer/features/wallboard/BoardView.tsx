import { formatDuration } from '../../../core/call/rules';
import type { Locale } from '../../../core/locale';
import type { BoardAgent, BoardQueue, BoardSnapshot, TodayFigures } from '../../../core/wire/board';
import type { Translate } from '../../i18n/i18n';
import { PhoneIcon, RepliesIcon } from '../../ui/icons';

/**
 * One team's wallboard, drawn from a snapshot (props only): queues, today's figures, agents. `now` is the
 * server's clock as this machine estimates it (local clock + skew), so the "waiting for" and "time in
 * state" timers tick between pushes without drifting from the server's figures.
 */
export type BoardViewProps = { snapshot: BoardSnapshot; now: number; locale: Locale; t: Translate; tv: boolean };

export function BoardView({ snapshot, now, locale, t, tv }: BoardViewProps) {
  const num = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <div className={tv ? 'board board--tv' : 'board'} data-testid="wallboard-view">
      <section className="board__queues" aria-label={t('board.queues')}>
        {snapshot.queues.map((q) => (
          <QueueCard key={q.id} q={q} now={now} target={snapshot.answerTargetSeconds} num={num} pct={pct} t={t} />
        ))}
        {snapshot.queues.length === 0 && <p className="board__empty">{t('board.noQueues')}</p>}
      </section>
      <TodayPanel today={snapshot.today} target={snapshot.answerTargetSeconds} num={num} pct={pct} t={t} locale={locale} />
      <section className="board__agents" aria-label={t('board.agents')}>
        <h2 className="board__heading">
          {t('board.agents')} <span className="board__heading-count">{agentSummary(snapshot.agents, num, t)}</span>
        </h2>
        <ul className="board__agent-grid">
          {snapshot.agents.map((a) => (
            <AgentCard key={a.id} a={a} now={now} locale={locale} num={num} t={t} wrapUpLimit={snapshot.wrapUpLimitSeconds} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function agentSummary(agents: readonly BoardAgent[], num: Intl.NumberFormat, t: Translate): string {
  const available = agents.filter((a) => a.presence === 'available').length;
  const signedIn = agents.filter((a) => a.presence !== 'offline').length;
  return t('board.agentSummary', { available: num.format(available), signedIn: num.format(signedIn) });
}

function QueueCard(props: { q: BoardQueue; now: number; target: number; num: Intl.NumberFormat; pct: Intl.NumberFormat; t: Translate }) {
  const { q, now, target, num, pct, t } = props;
  const waitedMs = q.oldestSince === null ? null : Math.max(0, now - q.oldestSince);
  const late = waitedMs !== null && waitedMs > target * 1000;
  const share = q.answeredHour === 0 ? null : q.withinTargetHour / q.answeredHour;
  return (
    <article className={`board-queue${q.waiting > 0 ? ' board-queue--waiting' : ''}${late ? ' board-queue--late' : ''}`} data-testid="board-queue" data-queue={q.name}>
      <h2 className="board-queue__name">
        {q.name}
        {q.kind === 'voice' && q.number && (
          <span className="board-queue__number" data-testid="queue-number">
            {' · '}
            {t('board.voiceQueue', { number: q.number })}
          </span>
        )}
      </h2>
      <div className="board-queue__main">
        <div className="board-figure board-figure--big">
          <span className="board-figure__value" data-testid="queue-waiting">
            {num.format(q.waiting)}
          </span>
          <span className="board-figure__label">{t('board.waiting')}</span>
        </div>
        <div className={`board-figure board-figure--big${late ? ' board-figure--alarm' : ''}`}>
          <span className="board-figure__value board-figure__value--mono" data-testid="queue-oldest">
            {waitedMs === null ? '–' : formatDuration(waitedMs)}
          </span>
          <span className="board-figure__label">{t('board.oldest')}</span>
        </div>
      </div>
      <div className="board-queue__hour">
        <div className="board-figure">
          <span className="board-figure__value" data-testid="queue-sl">
            {share === null ? '–' : pct.format(share)}
          </span>
          <span className="board-figure__label">{t('board.withinTarget', { answered: num.format(q.answeredHour), within: num.format(q.withinTargetHour), target: num.format(target) })}</span>
        </div>
        <div className={`board-figure${q.abandonedHour > 0 ? ' board-figure--warn' : ''}`}>
          <span className="board-figure__value" data-testid="queue-abandoned">
            {num.format(q.abandonedHour)}
          </span>
          <span className="board-figure__label">{t('board.abandonedHour')}</span>
        </div>
        {q.callbacksWaiting !== undefined && (
          <div className="board-figure">
            <span className="board-figure__value" data-testid="queue-callbacks">
              {num.format(q.callbacksWaiting)}
            </span>
            <span className="board-figure__label">{t('board.callbacksWaiting')}</span>
          </div>
        )}
      </div>
    </article>
  );
}

function TodayPanel(props: { today: TodayFigures; target: number; num: Intl.NumberFormat; pct: Intl.NumberFormat; t: Translate; locale: Locale }) {
  const { today, num, pct, t, locale } = props;
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.parse(`${today.date}T12:00:00Z`));
  const sec = new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'narrow', maximumFractionDigits: 0 });
  const tiles: [string, string, string][] = [
    ['offered', num.format(today.offered), t('board.today.offered')],
    ['answered', num.format(today.answered), t('board.today.answered')],
    ['within', today.answered === 0 ? '–' : pct.format(today.answeredWithinTarget / today.answered), t('board.today.within')],
    ['handled', num.format(today.handled), t('board.today.handled')],
    ['abandoned', num.format(today.abandoned), t('board.today.abandoned')],
    ['asa', today.averageAnswerSeconds === null ? '–' : sec.format(today.averageAnswerSeconds), t('board.today.asa')],
  ];
  return (
    <section className="board__today" aria-label={t('board.today')} data-testid="board-today">
      <h2 className="board__heading">
        {t('board.today')} <span className="board__heading-count">{day}</span>
      </h2>
      <dl className="board__today-grid">
        {tiles.map(([key, value, label]) => (
          <div key={key} className="board-tile" data-testid={`today-${key}`}>
            <dt className="board-tile__label">{label}</dt>
            <dd className="board-tile__value">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function AgentCard(props: { a: BoardAgent; now: number; locale: Locale; num: Intl.NumberFormat; t: Translate; wrapUpLimit: number | null }) {
  const { a, now, locale, num, t, wrapUpLimit } = props;
  const inState = a.since === null ? null : Math.max(0, now - a.since);
  const overWrapUp = a.presence === 'after-call' && wrapUpLimit !== null && inState !== null && inState > wrapUpLimit * 1000;
  const reason = a.reason ? a.reason.labels[locale] : null;
  const state = a.call ? t('board.onCall') : t(`presence.${a.presence}`);
  return (
    <li
      className={`board-agent board-agent--${a.call ? 'call' : a.presence}${a.connected || a.presence === 'offline' ? '' : ' board-agent--silent'}`}
      data-testid="board-agent"
      data-agent={a.displayName}
      data-presence={a.presence}
    >
      <div className="board-agent__name">
        <span className="board-agent__avatar" aria-hidden="true">
          {[...a.displayName][0]}
        </span>
        <span className="board-agent__display">{a.displayName}</span>
      </div>
      <div className="board-agent__state">
        <span className="board-agent__state-text" data-testid="agent-state">
          {state}
          {reason && <span className="board-agent__reason"> · {reason}</span>}
        </span>
        <span className={`board-agent__timer${overWrapUp ? ' board-agent__timer--over' : ''}`} data-testid="agent-timer">
          {inState === null ? '' : formatDuration(inState)}
        </span>
      </div>
      <div className="board-agent__contacts">
        <span className="board-agent__chats" title={t('board.chats')}>
          <RepliesIcon className="board-agent__icon" />
          {num.format(a.chats)}/{num.format(a.maxChats)}
        </span>
        {a.call && (
          <span className="board-agent__call" title={t(a.call.held ? 'board.callHeld' : 'board.onCall')}>
            <PhoneIcon className="board-agent__icon" />
            {formatDuration(Math.max(0, now - a.call.startedAt))}
            {a.call.held ? ` · ${t('board.callHeld')}` : ''}
          </span>
        )}
        {!a.connected && a.presence !== 'offline' && <span className="board-agent__silent">{t('board.noSignal')}</span>}
      </div>
    </li>
  );
}
