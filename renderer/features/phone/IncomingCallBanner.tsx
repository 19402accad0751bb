import { useEffect } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ScreenPopCard } from './ScreenPop';
import { isTalking, remoteLabel, useCalls } from './usePhone';
import './phone.css';

/**
 * The ringing call, over whatever page the agent is on: an alertdialog (announced at once by screen
 * readers) that does not take focus, so an agent mid-sentence in an email does not answer by typing.
 * Ctrl+Enter answers and Ctrl+Backspace declines from anywhere, including text fields.
 *
 * Once answered the call stays `ringing-in` until sip.js reports it established (microphone, SDP, ICE):
 * the banner stays as feedback but stops pulsing and takes no second press. The pulse repaints the page
 * every frame, and on the 2-core machines agents get it competed with getUserMedia and SDP work for
 * tens of milliseconds on every answer (bench/call.mjs, traced).
 */
export function IncomingCallBanner() {
  const t = useT();
  const calls = useCalls();
  const answer = useAppStore((s) => s.answerCall);
  const decline = useAppStore((s) => s.declineCall);
  const ringing = calls.find((v) => v.call.state === 'ringing-in');
  const busy = calls.some((v) => isTalking(v.call) && v.call.state !== 'ending');
  const answered = ringing?.call.marks.answerAt !== undefined;
  const ringingId = answered ? undefined : ringing?.call.id;

  useEffect(() => {
    if (!ringingId) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        void answer(ringingId);
      } else if (e.key === 'Backspace') {
        e.preventDefault();
        void decline(ringingId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ringingId, answer, decline]);

  if (!ringing) return null;
  const who = remoteLabel(ringing);
  const titleId = `incoming-${ringing.call.id}`;
  return (
    <div className="incoming" role="alertdialog" aria-labelledby={titleId} aria-describedby={`${titleId}-keys`} data-testid="incoming-call" data-call-id={ringing.call.id} aria-busy={answered}>
      {!answered && <div className="incoming__pulse" aria-hidden="true" />}
      <div className="incoming__body">
        <p className="incoming__title" id={titleId}>
          {t('phone.incoming.label', { who: who.name })}
        </p>
        {who.name !== who.number && <p className="incoming__number">{who.number}</p>}
        {ringing.pop && <ScreenPopCard callId={ringing.call.id} pop={ringing.pop} linkedTicketId={ringing.ticketId} />}
        {busy && <p className="incoming__hint">{t('phone.incoming.waiting')}</p>}
        <p className="incoming__hint" id={`${titleId}-keys`}>
          {t('phone.incoming.keys')}
        </p>
      </div>
      <div className="incoming__actions">
        <button type="button" className="button button--answer" data-testid="incoming-answer" disabled={answered} onClick={() => void answer(ringing.call.id)}>
          {busy ? t('phone.incoming.holdAndAnswer') : t('phone.incoming.answer')}
        </button>
        <button type="button" className="button button--danger" data-testid="incoming-decline" disabled={answered} onClick={() => void decline(ringing.call.id)}>
          {t('phone.incoming.decline')}
        </button>
      </div>
    </div>
  );
}
