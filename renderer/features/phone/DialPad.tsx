import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { isEditable } from '../shell/shortcuts';

export const dialKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const letters: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

/**
 * The number entry: typed, pasted (a number copied from an email keeps its spaces and dashes; the phone
 * strips them) or clicked. Digits typed anywhere on the page go into the field, so an agent reading a
 * number off a ticket needs no mouse; Enter calls.
 */
export function DialPad(props: { disabled: boolean; onDial(target: string, clickAt: number): void }) {
  const t = useT();
  const id = useId();
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);

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
    const target = value.trim();
    if (!target || props.disabled) return;
    props.onDial(target, performance.timeOrigin + performance.now());
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
      <button type="submit" className="button button--primary dialpad__call" data-testid="dial-call" disabled={props.disabled || value.trim() === ''}>
        {t('phone.dialpad.call')}
      </button>
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
        <button key={k} type="button" className="dialpad__key" onClick={() => props.onDigit(k)}>
          <span className="dialpad__digit">{k}</span>
        </button>
      ))}
    </div>
  );
}
