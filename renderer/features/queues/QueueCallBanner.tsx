import { useEffect } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import '../phone/phone.css';
import './queues.css';

/** How often the app asks whether a queue call rings for the agent (GET /queues/mine). */
const pollMs = 2000;

/**
 * A voice queue call ringing for the agent (issue 17): the queue's name, the caller, the customer when the
 * number is known, and whether it is a callback the agent places; answer or pass it to the next agent.
 * Below it, the server's notice that an earlier queue call rang out and set the agent to not-ready, with
 * the way back to available. Caller text is shown as text (React escapes it).
 */
export function QueueCallBanner() {
  const t = useT();
  const state = useAppStore((s) => s.queueState);
  const error = useAppStore((s) => s.queueError);
  const poll = useAppStore((s) => s.pollQueue);
  const answer = useAppStore((s) => s.answerQueueCall);
  const decline = useAppStore((s) => s.declineQueueCall);
  const hangup = useAppStore((s) => s.hangupQueueCall);
  const setPresence = useAppStore((s) => s.setPresence);

  useEffect(() => {
    const tick = () => void poll().catch(() => undefined);
    tick();
    const timer = window.setInterval(tick, pollMs);
    return () => window.clearInterval(timer);
  }, [poll]);

  if (!state) return null;
  const { ringing, connected, notReady } = state;
  return (
    <>
      {ringing && (
        <div className="incoming queue-call" role="alertdialog" aria-labelledby="queue-call-title" data-testid="queue-call" data-call-id={ringing.callId}>
          <div className="incoming__pulse" aria-hidden="true" />
          <div className="incoming__body">
            <p className="queue-call__queue" data-testid="queue-call-queue">
              {ringing.callback ? t('queues.call.callbackFrom', { queue: ringing.queueName }) : t('queues.call.from', { queue: ringing.queueName })}
            </p>
            <p className="incoming__title" id="queue-call-title">
              {ringing.customer ? ringing.customer.name : ringing.caller}
            </p>
            {ringing.customer && <p className="incoming__number">{ringing.caller}</p>}
            {ringing.callback && <p className="incoming__hint">{t('queues.call.callbackHint')}</p>}
            {error && <p className="incoming__hint" role="alert">{error}</p>}
          </div>
          <div className="incoming__actions">
            <button type="button" className="button button--answer" data-testid="queue-call-answer" onClick={() => void answer(ringing.callId)}>
              {ringing.callback ? t('queues.call.callBack') : t('queues.call.answer')}
            </button>
            <button type="button" className="button button--danger" data-testid="queue-call-decline" onClick={() => void decline(ringing.callId)}>
              {t('queues.call.pass')}
            </button>
          </div>
        </div>
      )}
      {connected && (
        <div className="phone__notice queue-call__on" role="status" data-testid="queue-call-connected">
          <span>{t(connected.callback ? 'queues.call.onCallback' : 'queues.call.onCall', { queue: connected.queueName, caller: connected.caller })}</span>
          <button type="button" className="button button--small" onClick={() => void hangup(connected.callId)}>
            {t('queues.call.done')}
          </button>
        </div>
      )}
      {notReady && !ringing && (
        <div className="phone__notice queue-call__not-ready" role="status" data-testid="queue-not-ready">
          <span>{t('queues.notReady.rangOut', { queue: notReady.queueName })}</span>
          <button type="button" className="button button--small" data-testid="queue-not-ready-back" onClick={() => setPresence('available')}>
            {t('queues.notReady.back')}
          </button>
        </div>
      )}
    </>
  );
}
