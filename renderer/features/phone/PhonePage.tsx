import { memo, useCallback, useMemo } from 'react';
import { checkDialTarget, dialPolicyFrom } from '../../../core/dial';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { CallView } from '../../stores/phoneSlice';
import { Page } from '../../ui/EmptyState';
import { CallCard, type CallActions } from './CallCard';
import { CallHistory } from './CallHistory';
import { DevicePickers } from './DevicePickers';
import { AutoAnswerToggle } from './AutoAnswerToggle';
import { DialPad, type DialPadProps } from './DialPad';
import { isTalking, remoteLabel, useCalls } from './usePhone';
import { WrapUpPanel } from './WrapUpPanel';
import './phone.css';

/**
 * The softphone: dial pad and devices on the left; on the right the call the agent is talking on, any
 * calls on hold or waiting, an attended transfer in progress, and the after-call work still open.
 */
export function PhonePage() {
  const t = useT();
  const calls = useCalls();
  const sip = useAppStore((s) => s.sip);
  const account = useAppStore((s) => s.phone.account);
  const registration = useAppStore((s) => s.phone.registration);
  const lastError = useAppStore((s) => s.phone.lastError);
  const wrapUpRequired = useAppStore((s) => s.phone.wrapUpRequired);
  const consult = useAppStore((s) => s.phone.consult);
  const dial = useAppStore((x) => x.dial);
  const clearError = useAppStore((x) => x.clearPhoneError);
  const completeTransfer = useAppStore((x) => x.completeTransfer);
  const cancelConsult = useAppStore((x) => x.cancelConsult);
  const goTo = useAppStore((x) => x.goTo);
  const actionsFor = useCallActions();
  const onDial = useCallback((target: string, clickAt: number) => void dial(target, { clickAt }), [dial]);
  const dialRequest = useAppStore((s) => s.phone.dialRequest);
  const dismissDialRequest = useAppStore((x) => x.dismissDialRequest);
  const allowedSipDomains = useAppStore((s) => s.policy.values.AllowedSipDomains);
  const blockedNumberPatterns = useAppStore((s) => s.policy.values.BlockedNumberPatterns);
  const ownSipUri = account.kind === 'ready' ? account.sipUri : null;
  const check = useMemo(() => {
    const policy = dialPolicyFrom({ AllowedSipDomains: allowedSipDomains, BlockedNumberPatterns: blockedNumberPatterns }, ownSipUri);
    return (target: string) => checkDialTarget(target, policy);
  }, [allowedSipDomains, blockedNumberPatterns, ownSipUri]);

  const talking = calls.filter((v) => isTalking(v.call));
  const wrapUps = calls.filter((v) => v.call.state === 'wrap-up');
  // The call in front: the one not on hold (there is at most one), else the newest held one.
  const active = talking.find((v) => !v.call.onHold) ?? talking[talking.length - 1];
  const others = talking.filter((v) => v !== active);
  const consultView = consult ? calls.find((v) => v.call.id === consult.consultId) : undefined;
  const originalView = consult ? calls.find((v) => v.call.id === consult.originalId) : undefined;
  const ready = registration.kind === 'registered';
  const authRejected = registration.kind === 'failed' && registration.reason.code === 'auth-rejected';

  return (
    <Page
      title={t('phone.title')}
      actions={
        <span className={`phone__status phone__status--${sip.state}`} data-testid="phone-page-status" data-state={sip.state}>
          {t('phone.page.status', { state: t(`phone.state.${sip.state}`) })}
        </span>
      }
    >
      <div className="phone">
        <div className="phone__side">
          <SidePanel disabled={!ready} onDial={onDial} check={check} request={dialRequest} onDismissRequest={dismissDialRequest} />
        </div>

        <div className="phone__main">
          {account.kind === 'ready' && account.demoCustomerLine && <DemoCustomerLine disabled={!ready} />}
          {account.kind === 'missing' && <Notice text={t('phone.account.missing')} onSettings={() => goTo('settings')} settingsLabel={t('phone.account.openSettings')} />}
          {account.kind === 'error' && <Notice text={t('phone.account.error', { message: account.message })} />}
          {authRejected && <Notice testId="phone-auth-error" text={t('phone.account.authRejected')} onSettings={() => goTo('settings')} settingsLabel={t('phone.account.openSettings')} />}
          {wrapUpRequired && <Notice text={t('phone.wrapup.required')} />}
          {lastError && (
            <div className="phone__error" role="alert" data-testid="phone-error">
              <span>{t('phone.error.generic', { message: lastError.message })}</span>
              <button type="button" className="button button--quiet button--small" onClick={clearError}>
                {t('phone.error.dismiss')}
              </button>
            </div>
          )}

          {consultView && originalView && (
            <div className="phone__consult" role="status" data-testid="consult-bar">
              <span>{t('phone.transfer.consulting', { who: remoteLabel(consultView).name, other: remoteLabel(originalView).name })}</span>
              <button type="button" className="button button--primary" data-testid="transfer-complete" disabled={consultView.call.state !== 'established'} onClick={() => void completeTransfer()}>
                {t('phone.transfer.complete')}
              </button>
              <button type="button" className="button button--quiet" onClick={() => void cancelConsult()}>
                {t('phone.transfer.cancel')}
              </button>
            </div>
          )}

          {active && <CallCard view={active} actions={actionsFor(active)} canTransfer={!consult} />}
          {others.map((v) => (
            <CallCard key={v.call.id} view={v} actions={actionsFor(v)} compact canTransfer={false} />
          ))}
          {wrapUps.map((v) => (
            <WrapUpItem key={v.call.id} view={v} />
          ))}
          {!active && wrapUps.length === 0 && <p className="phone__empty">{t('phone.calls.none')}</p>}
          {!active && <CallHistory canCall={ready} />}
        </div>
      </div>
    </Page>
  );
}

function WrapUpItem(props: { view: CallView }) {
  const complete = useAppStore((s) => s.completeWrapUp);
  const { pop, ticketId } = props.view;
  const ticketNumber = pop?.status === 'found' ? pop.tickets.find((x) => x.id === ticketId)?.number ?? undefined : undefined;
  return <WrapUpPanel view={props.view} ticketNumber={ticketNumber} onDone={(d, note) => void complete(props.view.call.id, d, note)} />;
}

/** Demo mode only (the embedded phone server runs a demo customer): have it call you, to try answering, the keypad and the audio. */
function DemoCustomerLine(props: { disabled: boolean }) {
  const t = useT();
  const callMe = useAppStore((s) => s.callMeAsCustomer);
  return (
    <div className="phone__notice phone__demo" role="group" aria-label={t('phone.demo.title')} data-testid="demo-customer-line">
      <span>{t('phone.demo.explain')}</span>
      <button type="button" className="button button--small" data-testid="demo-customer-call" disabled={props.disabled} onClick={() => void callMe()}>
        {t('phone.demo.callMe')}
      </button>
    </div>
  );
}

function Notice(props: { text: string; testId?: string; onSettings?: () => void; settingsLabel?: string }) {
  return (
    <div className="phone__notice" role="status" data-testid={props.testId}>
      <span>{props.text}</span>
      {props.onSettings && (
        <button type="button" className="button button--small" onClick={props.onSettings}>
          {props.settingsLabel}
        </button>
      )}
    </div>
  );
}

function useCallActions(): (v: CallView) => CallActions {
  const toggleHold = useAppStore((s) => s.toggleHold);
  const toggleMute = useAppStore((s) => s.toggleMute);
  const hangup = useAppStore((s) => s.hangupCall);
  const sendDtmf = useAppStore((s) => s.sendDtmf);
  const blindTransfer = useAppStore((s) => s.blindTransfer);
  const startConsult = useAppStore((s) => s.startConsult);
  return (v) => {
    const id = v.call.id;
    return {
      toggleHold: () => void toggleHold(id),
      toggleMute: () => toggleMute(id),
      hangup: () => void hangup(id),
      sendDtmf: (d) => void sendDtmf(id, d),
      blindTransfer: (target) => void blindTransfer(id, target),
      startConsult: (target) => void startConsult(id, target),
    };
  };
}

/**
 * Dial pad, devices and auto-answer: memoised, because the page re-renders on every call event and on
 * the two-core laptops agents have that render competes with the call's own SDP and ICE work (React
 * time per call setup measured in bench/call.mjs profiles).
 */
const SidePanel = memo(function SidePanel(props: DialPadProps) {
  const t = useT();
  return (
    <>
      <DialPad {...props} />
      <DevicePickers />
      <section className="devices" aria-label={t('phone.answering.title')}>
        <h2 className="phone__section-title">{t('phone.answering.title')}</h2>
        <AutoAnswerToggle testId="auto-answer" />
      </section>
    </>
  );
});
