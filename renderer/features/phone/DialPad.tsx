import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DialRefusal, DialVerdict } from '../../../core/dial';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { isEditable } from '../shell/shortcuts';

export const dialKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const letters: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

export function refusalText(t: Translate, refusal: DialRefusal): string {
  switch (refusal.code) {
    case 'blocked-number':
      return t('phone.dialpad.blocked', { number: refusal.number });
    case 'sip-domain-not-allowed':
      return t('phone.dialpad.sipDomainRefused', { domain: refusal.domain });
    case 'not-dialable':
      return t('phone.dialpad.notDialable');
  }
}

export type DialPadProps = {
  disabled: boolean;
  onDial(target: string, clickAt: number): void;
  /** The dial policy's verdict on a target (core/dial.ts checkDialTarget): a refusal shows its reason. */
  check(target: string): DialVerdict;
  /** A tel:/sip: link's number, put in the field to be confirmed with a click (never dialed by itself). */
  request: { target: string; seq: number } | null;
  onDismissRequest(): void;
};

/**
 * The number entry: typed, pasted (a number copied from an email keeps its spaces and dashes; the phone
 * strips them) or clicked. Digits typed anywhere on the page go into the field, so an agent reading a
 * number off a ticket needs no mouse; Enter calls. A number from a link fills the field and asks: only a
 * click on its own Call button dials it (Enter does not, so a link that lands while the agent types cannot
 * borrow the keystroke). A number the policy refuses shows why, and no button calls it.
 */
export function DialPad(props: DialPadProps) {
  const t = useT();
  const id = useId();
  const { request, onDismissRequest } = props;
  // A link's number waits in the store until the agent calls or cancels it, so it is back after a page change.
  const [value, setValue] = useState(request?.target ?? '');
  const input = useRef<HTMLInputElement>(null);
  const linked = request !== null && value === request.target;
  const target = value.trim();
  const verdict = target ? props.check(target) : null;
  const refused = verdict && !verdict.ok ? verdict.refusal : null;

  useEffect(() => {
    if (request) setValue(request.target);
  }, [request]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      if (/^[0-9*#+]$/.test(e.key)) {
        e.preventDefault();
        setValue((v) => v + e.key);
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!target || props.disabled || linked || refused) return;
    // An edited link number is the agent's own entry, dialed like any other; the link is done with.
    if (request) onDismissRequest();
    props.onDial(target, performance.timeOrigin + performance.now());
    setValue('');
  };

  const confirmLink = () => {
    if (!target || props.disabled || refused) return;
    props.onDial(target, performance.timeOrigin + performance.now());
    onDismissRequest();
    setValue('');
  };

  const cancelLink = () => {
    onDismissRequest();
    setValue('');
  };

  return (
    <form className="dialpad" onSubmit={submit} aria-label={t('phone.dialpad.title')}>
      <label htmlFor={id} className="visually-hidden">
        {t('phone.dialpad.label')}
      </label>
      <div className="dialpad__entry">
        <input
          ref={input}
          id={id}
          className="input dialpad__input"
          data-testid="dial-input"
          value={value}
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          maxLength={256}
          placeholder={t('phone.dialpad.placeholder')}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="button" className="button button--quiet dialpad__back" aria-label={t('phone.dialpad.backspace')} disabled={value === ''} onClick={() => setValue((v) => v.slice(0, -1))}>
          ⌫
        </button>
      </div>
      <div className="dialpad__keys">
        {dialKeys.map((k) => (
          <button key={k} type="button" className="dialpad__key" data-testid={`dial-key-${k}`} onClick={() => setValue((v) => v + k)}>
            <span className="dialpad__digit">{k}</span>
            <span className="dialpad__letters" aria-hidden="true">
              {letters[k] ?? '\u00a0'}
            </span>
          </button>
        ))}
      </div>
      {refused && (
        <p className="dialpad__refused" role="alert" data-testid="dial-refused" data-code={refused.code}>
          {refusalText(t, refused)}
        </p>
      )}
      {linked ? (
        <div className="dialpad__link" role="group" aria-label={t('phone.dialpad.linkTitle')} data-testid="dial-link-prompt">
          <p className="dialpad__link-title">{t('phone.dialpad.linkTitle')}</p>
          <p className="field__hint">{t('phone.dialpad.linkHint')}</p>
          <div className="dialpad__link-actions">
            <button type="button" className="button button--primary dialpad__link-confirm" data-testid="dial-link-confirm" disabled={props.disabled || refused !== null} onClick={confirmLink}>
              {t('phone.dialpad.linkConfirm', { target })}
            </button>
            <button type="button" className="button button--quiet dialpad__link-cancel" data-testid="dial-link-cancel" onClick={cancelLink}>
              {t('phone.dialpad.linkCancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="submit" className="button button--primary dialpad__call" data-testid="dial-call" disabled={props.disabled || target === '' || refused !== null}>
          {t('phone.dialpad.call')}
        </button>
      )}
      {props.disabled && <p className="field__hint">{t('phone.dialpad.notReady')}</p>}
    </form>
  );
}

/** The in-call keypad: each press sends its tone at once (IVR menus time out on batched digits). */
export function DtmfPad(props: { onDigit(digit: string): void }) {
  const t = useT();
  return (
    <div className="dialpad__keys dialpad__keys--dtmf" role="group" aria-label={t('phone.dtmf.label')} data-testid="dtmf-pad">
      {dialKeys.map((k) => (
        <button key={k} type="button" className="dialpad__key" data-testid={`dtmf-${k}`} onClick={() => props.onDigit(k)}>
          <span className="dialpad__digit">{k}</span>
        </button>
      ))}
    </div>
  );
}
