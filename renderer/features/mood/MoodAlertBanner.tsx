import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ShownName } from '../../ui/ShownName';
import { MoodScore } from './MoodTrend';
import './mood.css';

/**
 * The newest unacknowledged mood alert for a lead (issue 20), in the alerts row: who, which agent, the
 * last lines (insults already masked by the server) and one click to open the chat and whisper, or take over.
 */
export function MoodAlertBanner() {
  const t = useT();
  const banner = useAppStore((s) => s.moodBanner);
  const alerts = useAppStore((s) => s.moodAlerts);
  const ack = useAppStore((s) => s.ackMoodAlert);
  const dismiss = useAppStore((s) => s.dismissMoodBanner);
  const goTo = useAppStore((s) => s.goTo);
  const select = useAppStore((s) => s.selectConversation);
  const takeOver = useAppStore((s) => s.takeOverChat);
  const block = useAppStore((s) => s.blockCustomer);
  const [error, setError] = useState<string | null>(null);
  const id = banner.at(-1);
  const alert = id ? alerts.find((a) => a.id === id) : undefined;
  if (!alert) return null;
  const fail = (err: unknown) => setError(t('mood.alert.failed', { message: err instanceof Error ? err.message : String(err) }));
  const open = () => {
    select(alert.conversationId);
    goTo('inbox');
    dismiss(alert.id);
  };
  return (
    <div className="mood-alert" role="alert" data-testid="mood-alert" data-kind={alert.kind}>
      <div className="mood-alert__text">
        <strong>
          {t(`mood.alert.${alert.kind}`)} · <ShownName text={alert.customerName} flagLabel={t('text.flag.hidden')} />
        </strong>
        <span className="mood-alert__meta">
          {alert.agentName ? t('mood.alert.agent', { name: alert.agentName }) : t('mood.alert.noAgent')} · {alert.teamName}
          {alert.score !== null ? (
            <>
              {' · '}
              <MoodScore score={alert.score} />
            </>
          ) : null}
        </span>
        <ol className="mood-alert__lines" data-testid="mood-alert-lines">
          {alert.lastMessages.slice(-3).map((m) => (
            <li key={`${m.at}-${m.author}`} className={`mood-alert__line mood-alert__line--${m.author}`}>
              <span className="mood-alert__who">{t(`inbox.author.${m.author}`)}:</span> {m.body}
            </li>
          ))}
        </ol>
        {error ? <span className="mood-alert__error">{error}</span> : null}
      </div>
      <button type="button" className="button button--primary" data-testid="mood-alert-whisper" onClick={open}>
        {t('mood.alert.whisper')}
      </button>
      <button
        type="button"
        className="button"
        data-testid="mood-alert-takeover"
        onClick={() => {
          setError(null);
          takeOver(alert.conversationId).then(open, fail);
        }}
      >
        {t('coach.takeover')}
      </button>
      {alert.kind === 'abusive' ? (
        <button
          type="button"
          className="button"
          data-testid="mood-alert-block"
          onClick={() => {
            setError(null);
            block(alert.conversationId, 24, t('mood.block.reason')).then(() => ack(alert.id), fail);
          }}
        >
          {t('mood.block')}
        </button>
      ) : null}
      <button type="button" className="button button--quiet" data-testid="mood-alert-ack" onClick={() => ack(alert.id).catch(fail)}>
        {t('mood.alert.ack')}
      </button>
    </div>
  );
}
