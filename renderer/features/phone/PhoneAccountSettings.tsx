import { useId, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';

type Fields = { wsUri: string; sipUri: string; authUser: string; password: string };

/**
 * Settings → Phone account: the agent (or IT on the phone with them) can point the softphone at another
 * PBX or extension. Empty fields follow the server; the password goes to the host's secure storage.
 */
export function PhoneAccountSettings() {
  const t = useT();
  const id = useId();
  const overrides = useAppStore((s) => s.phone.overrides);
  const account = useAppStore((s) => s.phone.account);
  const save = useAppStore((s) => s.setSipOverrides);
  const [fields, setFields] = useState<Fields>({ wsUri: overrides.wsUri ?? '', sipUri: overrides.sipUri ?? '', authUser: overrides.authUser ?? '', password: '' });
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const submit = async (e: FormEvent, next: Fields = fields, clearPassword = false) => {
    e.preventDefault();
    try {
      const { password, ...rest } = next;
      await save({ ...rest, ...(password ? { password } : {}) }, { clearPassword });
      setMessage({ kind: 'ok', text: t('settings.phone.saved') });
    } catch (err) {
      const text = err instanceof z.ZodError ? err.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ') : String(err);
      setMessage({ kind: 'error', text: t('settings.phone.invalid', { message: text }) });
    }
  };

  const field = (key: keyof Fields, type = 'text') => (
    <div className="field" key={key}>
      <label htmlFor={`${id}-${key}`} className="field__label">
        {t(`settings.phone.${key}`)}
      </label>
      <input
        id={`${id}-${key}`}
        className="input"
        type={type}
        data-testid={`sip-override-${key}`}
        value={fields[key]}
        placeholder={account.kind === 'ready' && key !== 'password' ? account[key] : undefined}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        spellCheck={false}
        onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
      />
    </div>
  );

  return (
    <form className="phone-settings" onSubmit={(e) => void submit(e)} data-testid="phone-settings">
      {account.kind === 'ready' && (
        <p className="field__hint" data-testid="phone-settings-source">
          {t(account.source === 'server' ? 'settings.phone.source.server' : 'settings.phone.source.override', { uri: account.sipUri })}
        </p>
      )}
      {field('wsUri')}
      {field('sipUri')}
      {field('authUser')}
      {field('password', 'password')}
      <p className="field__hint">{t('settings.phone.hint')}</p>
      <div className="phone-settings__actions">
        <button type="submit" className="button button--primary" data-testid="sip-override-save">
          {t('settings.phone.save')}
        </button>
        <button
          type="button"
          className="button button--quiet"
          onClick={(e) => {
            const empty = { wsUri: '', sipUri: '', authUser: '', password: '' };
            setFields(empty);
            void submit(e, empty, true);
          }}
        >
          {t('settings.phone.reset')}
        </button>
      </div>
      {message && (
        <p className={message.kind === 'ok' ? 'field__hint' : 'field__error'} role={message.kind === 'ok' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
