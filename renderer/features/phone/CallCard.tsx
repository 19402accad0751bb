import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import type { CallView } from '../../stores/phoneSlice';
import { formatDuration } from '../../../core/call/rules';
import { DtmfPad } from './DialPad';
import { QualityBadge } from './QualityBadge';
import { ScreenPopCard } from './ScreenPop';
import { remoteLabel, useNow } from './usePhone';

export type CallActions = {
  toggleHold(): void;
  toggleMute(): void;
  hangup(): void;
  sendDtmf(digit: string): void;
  blindTransfer(target: string): void;
  startConsult(target: string): void;
};

/** One call the agent is on (or has on hold): who, how long, how it sounds, and what they can do with it. */
export function CallCard(props: { view: CallView; actions: CallActions; compact?: boolean; canTransfer: boolean }) {
  const t = useT();
  const { call, quality } = props.view;
  const now = useNow();
  const [panel, setPanel] = useState<'none' | 'keypad' | 'transfer'>('none');
  const who = remoteLabel(props.view);
  const live = call.state === 'established' || call.state === 'held';
  const elapsed = call.marks.establishedAt !== undefined ? formatDuration(now - call.marks.establishedAt) : null;
  const state = call.state === 'wrap-up' || call.state === 'done' || call.state === 'ended' || call.state === 'failed' ? 'ending' : call.state;

  return (
    <article className={`call-card call-card--${call.state}`} data-testid="call-card" data-call-id={call.id} data-state={call.state} aria-label={`${t(`phone.call.direction.${call.direction}`)}: ${who.name}`}>
      <header className="call-card__head">
        <div className="call-card__who">
          <div className="call-card__name" data-testid="call-remote-name">
            {who.name}
          </div>
          {who.name !== who.number && <div className="call-card__number">{who.number}</div>}
        </div>
        <div className="call-card__meta">
          <span className="call-card__state" data-testid="call-state">
            {t(`phone.call.state.${state}`)}
          </span>
          {elapsed && (
            <time className="call-card__timer" data-testid="call-timer" aria-label={t('phone.call.timer')}>
              {elapsed}
            </time>
          )}
        </div>
      </header>

      {live && <QualityBadge sample={quality} />}
      {call.muted && (
        <p className="call-card__muted" role="status">
          {t('phone.call.muted')}
        </p>
      )}

      {!props.compact && props.view.pop && <ScreenPopCard callId={call.id} pop={props.view.pop} linkedTicketId={props.view.ticketId} />}

      <div className="call-card__actions">
        <button type="button" className="button" data-testid="call-hold" aria-pressed={call.onHold} disabled={!live} onClick={props.actions.toggleHold}>
          {call.onHold ? t('phone.call.resume') : t('phone.call.hold')}
        </button>
        <button type="button" className="button" data-testid="call-mute" aria-pressed={call.muted} disabled={!live && call.state !== 'dialing' && call.state !== 'early'} onClick={props.actions.toggleMute}>
          {call.muted ? t('phone.call.unmute') : t('phone.call.mute')}
        </button>
        {!props.compact && (
          <>
            <button type="button" className="button" data-testid="call-keypad" aria-expanded={panel === 'keypad'} disabled={call.state !== 'established'} onClick={() => setPanel(panel === 'keypad' ? 'none' : 'keypad')}>
              {t('phone.call.keypad')}
            </button>
            <button type="button" className="button" data-testid="call-transfer" aria-expanded={panel === 'transfer'} disabled={!live || !props.canTransfer} onClick={() => setPanel(panel === 'transfer' ? 'none' : 'transfer')}>
              {t('phone.call.transfer')}
            </button>
          </>
        )}
        <button type="button" className="button button--danger" data-testid="call-hangup" disabled={call.state === 'ending'} onClick={props.actions.hangup}>
          {t('phone.call.hangup')}
        </button>
      </div>

      {panel === 'keypad' && call.state === 'established' && <DtmfPad onDigit={props.actions.sendDtmf} />}
      {panel === 'transfer' && live && (
        <TransferForm
          onBlind={(target) => {
            setPanel('none');
            props.actions.blindTransfer(target);
          }}
          onConsult={(target) => {
            setPanel('none');
            props.actions.startConsult(target);
          }}
          onCancel={() => setPanel('none')}
        />
      )}
    </article>
  );
}

function TransferForm(props: { onBlind(target: string): void; onConsult(target: string): void; onCancel(): void }) {
  const t = useT();
  const id = useId();
  const [target, setTarget] = useState('');
  const blind = (e: FormEvent) => {
    e.preventDefault();
    if (target.trim()) props.onBlind(target.trim());
  };
  return (
    <form className="transfer" onSubmit={blind} aria-label={t('phone.transfer.title')} data-testid="transfer-form">
      <label htmlFor={id} className="field__label">
        {t('phone.transfer.target')}
      </label>
      <input id={id} className="input" data-testid="transfer-target" value={target} autoComplete="off" maxLength={256} onChange={(e) => setTarget(e.target.value)} autoFocus />
      <div className="transfer__actions">
        <button type="submit" className="button" data-testid="transfer-blind" disabled={!target.trim()}>
          {t('phone.transfer.blind')}
        </button>
        <button type="button" className="button button--primary" data-testid="transfer-consult" disabled={!target.trim()} onClick={() => props.onConsult(target.trim())}>
          {t('phone.transfer.consult')}
        </button>
        <button type="button" className="button button--quiet" onClick={props.onCancel}>
          {t('phone.transfer.cancel')}
        </button>
      </div>
    </form>
  );
}
