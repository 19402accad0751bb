import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { isManaged } from '../../../core/policy/effective';
import { policies, policyNames, type PolicyName, type PolicyValues } from '../../../core/policy/schema';
import { policyStrings, type AdmlLanguage } from '../../../core/policy/templates/strings';
import type { Locale } from '../../../core/locale';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { PolicySetResult } from '../../stores/policySlice';
import { ManagedBadge } from './ManagedBadge';
import { PolicyCheckbox } from './PolicyCheckbox';

type Message = { kind: 'ok' | 'error'; text: string } | null;

const stringsLanguage: Record<Locale, AdmlLanguage> = { en: 'en-US', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW' };
/** Policies with their own control in Settings (AutoAnswer under Phone); the rest that IT sets are listed read-only. */
const shownHere: readonly PolicyName[] = ['ServerUrl', 'SipWebSocketUrl', 'SipDomain', 'LogLevel', 'StartAtLogin', 'DefaultLanguage', 'AutoAnswer', 'EchoCancellation', 'NoiseSuppression', 'AutoGainControl'];

const messageOf = (t: Translate, r: PolicySetResult): Message => (r.ok ? { kind: 'ok', text: t('settings.policy.saved') } : { kind: 'error', text: t('settings.policy.refused', { message: r.message }) });

function Row(props: { id: string; label: string; managed: boolean; children: ReactNode; hint?: string | undefined; message?: Message; name: PolicyName }) {
  return (
    <div className="field policy-field" data-testid={`policy-field-${props.name}`}>
      <div className="policy-field__head">
        <label htmlFor={props.id} className="field__label">
          {props.label}
        </label>
        {props.managed && <ManagedBadge />}
      </div>
      {props.children}
      {props.hint && <p className="field__hint">{props.hint}</p>}
      {props.message && (
        <p className={props.message.kind === 'ok' ? 'field__hint' : 'field__error'} role={props.message.kind === 'ok' ? 'status' : 'alert'}>
          {props.message.text}
        </p>
      )}
    </div>
  );
}

/** A text policy with its own Save: a half-typed URL must not be applied on every keystroke. */
function TextPolicy(props: { name: 'ServerUrl' | 'SipWebSocketUrl' | 'SipDomain'; label: string; hint?: string; shownValue?: string; readOnly?: boolean }) {
  const t = useT();
  const id = useId();
  const policy = useAppStore((s) => s.policy);
  const setUserPolicy = useAppStore((s) => s.setUserPolicy);
  const managed = isManaged(policy, props.name);
  const current = props.shownValue ?? policy.values[props.name] ?? '';
  const [draft, setDraft] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const locked = managed || props.readOnly === true;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (draft === null) return;
    const text = draft.trim();
    const nullable = props.name !== 'ServerUrl';
    const value = (text === '' && nullable ? null : text) as PolicyValues[typeof props.name];
    const result = await setUserPolicy(props.name, value);
    setMessage(messageOf(t, result));
    if (result.ok) setDraft(null);
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Row id={id} name={props.name} label={props.label} managed={managed} hint={props.hint} message={message}>
        <div className="policy-field__line">
          <input
            id={id}
            className="input policy-field__input"
            data-testid={`policy-input-${props.name}`}
            value={locked ? current : (draft ?? current)}
            disabled={locked}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setDraft(e.target.value)}
          />
          {!locked && (
            <button type="submit" className="button" disabled={draft === null} data-testid={`policy-save-${props.name}`}>
              {t('settings.policy.save')}
            </button>
          )}
        </div>
      </Row>
    </form>
  );
}

function formatValue(t: Translate, lang: AdmlLanguage, name: PolicyName, value: unknown): string {
  if (value === null) return t('settings.policy.notSet');
  if (typeof value === 'boolean') return t(value ? 'settings.policy.on' : 'settings.policy.off');
  if (policies[name].kind === 'enum') return policyStrings[lang].items[`${name}.${String(value)}`] ?? String(value);
  // TURN servers carry credentials: show where they point, never the secret.
  if (name === 'TurnServers' && Array.isArray(value)) return (value as Array<{ urls: string | string[] }>).flatMap((s) => s.urls).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Settings → Connection and app: the policies an agent may set, each locked with a badge when IT
 * manages it, and the other settings IT sets, read-only, so an agent on the phone with IT can read them out.
 */
export function PolicySettings() {
  const t = useT();
  const logId = useId();
  const policy = useAppStore((s) => s.policy);
  const locale = useAppStore((s) => s.locale);
  const hostKind = useAppStore((s) => s.hostInfo?.kind ?? 'browser');
  const setUserPolicy = useAppStore((s) => s.setUserPolicy);
  const [message, setMessage] = useState<{ name: PolicyName; message: Message } | null>(null);
  const lang = stringsLanguage[locale];
  const web = hostKind === 'browser';
  const set = async <K extends PolicyName>(name: K, value: PolicyValues[K]) => setMessage({ name, message: messageOf(t, await setUserPolicy(name, value)) });
  const orgSet = policyNames.filter((n) => !shownHere.includes(n) && isManaged(policy, n));

  return (
    <div className="policy-settings" data-testid="policy-settings">
      <TextPolicy
        name="ServerUrl"
        label={t('settings.policy.serverUrl')}
        {...(web ? { shownValue: window.location.origin, readOnly: true, hint: t('settings.policy.serverUrl.web') } : { hint: t('settings.policy.restart') })}
      />
      <TextPolicy name="SipWebSocketUrl" label={t('settings.policy.sipWsUrl')} hint={t('settings.policy.fromServer')} />
      <TextPolicy name="SipDomain" label={t('settings.policy.sipDomain')} hint={t('settings.policy.fromServer')} />

      <Row id={logId} name="LogLevel" label={t('settings.policy.logLevel')} managed={isManaged(policy, 'LogLevel')} message={message?.name === 'LogLevel' ? message.message : null}>
        <select
          id={logId}
          className="select settings__control"
          data-testid="policy-input-LogLevel"
          value={policy.values.LogLevel}
          disabled={isManaged(policy, 'LogLevel')}
          onChange={(e) => void set('LogLevel', e.target.value as PolicyValues['LogLevel'])}
        >
          {(['error', 'warn', 'info', 'debug'] as const).map((level) => (
            <option key={level} value={level}>
              {policyStrings[lang].items[`LogLevel.${level}`]}
            </option>
          ))}
        </select>
      </Row>

      {!web && <PolicyCheckbox name="StartAtLogin" label={t('settings.policy.startAtLogin')} testId="policy-field-StartAtLogin" inputTestId="policy-input-StartAtLogin" />}

      {orgSet.length > 0 && (
        <div className="policy-settings__org">
          <h3 className="field__label">{t('settings.policy.orgSet')}</h3>
          <dl className="settings__about" data-testid="policy-org-set">
            {orgSet.map((name) => (
              <div key={name} className="policy-settings__org-row">
                <dt>{policyStrings[lang].policies[name].name}</dt>
                <dd>{formatValue(t, lang, name, policy.values[name])}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}

      {policy.problems.length > 0 && (
        <div className="field__hint policy-settings__problems" role="note">
          {t('settings.policy.problems')}
          <ul>
            {policy.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
