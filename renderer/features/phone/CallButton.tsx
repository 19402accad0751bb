import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { PhoneIcon } from '../../ui/icons';

/**
 * "Call this customer" for other features (the ticket view): dials `number`, links the call to
 * `ticketId` so the wrap-up note lands on that ticket, and shows the Phone page. Disabled until the
 * phone is registered, with the reason in the tooltip via the status bar's wording.
 */
export function CallButton(props: { number: string; ticketId?: string; className?: string }) {
  const t = useT();
  const dial = useAppStore((s) => s.dial);
  const goTo = useAppStore((s) => s.goTo);
  const ready = useAppStore((s) => s.phone.registration.kind === 'registered');
  const sipState = useAppStore((s) => s.sip.state);
  const label = t('phone.callButton', { number: props.number });
  return (
    <button
      type="button"
      className={`button call-button ${props.className ?? ''}`}
      data-testid="call-button"
      disabled={!ready}
      aria-label={label}
      title={ready ? label : t('phone.status.text', { state: t(`phone.state.${sipState}`) })}
      onClick={() => {
        const clickAt = performance.timeOrigin + performance.now();
        goTo('phone');
        void dial(props.number, { clickAt, ...(props.ticketId ? { ticketId: props.ticketId } : {}) });
      }}
    >
      <PhoneIcon size={14} />
      <span>{props.number}</span>
    </button>
  );
}
