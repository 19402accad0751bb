import { useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { GlobeIcon } from '../../ui/icons';
import { LanguageSelect } from '../settings/LanguageSelect';
import './login.css';

export function LoginPage() {
  const t = useT();
  const status = useAppStore((s) => s.status);
  const loginError = useAppStore((s) => s.loginError);
  const login = useAppStore((s) => s.login);
  const offlineUser = useAppStore((s) => s.offlineUser);
  const continueOffline = useAppStore((s) => s.continueOffline);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const busy = status === 'signing-in';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) void login(username.trim(), password);
  };

  return (
    <div className="login">
      <main className="login__card" aria-labelledby="login-title">
        <div className="login__brand">
          <span className="login__logo" aria-hidden="true">
            S
          </span>
          <span>{t('app.name')}</span>
        </div>
        <h1 id="login-title" className="login__title">
          {t('login.title')}
        </h1>
        <p className="login__subtitle">{t('login.subtitle')}</p>
        <form className="login__form" onSubmit={submit} noValidate>
          <div className="field">
            <label className="field__label" htmlFor="login-username">
              {t('login.username')}
            </label>
            <input id="login-username" className="input" name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="login-password">
              {t('login.password')}
            </label>
            <input id="login-password" className="input" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          {loginError && (
            <p className="alert" role="alert" data-testid="login-error" data-kind={loginError.kind}>
              {t(`login.error.${loginError.kind}`, { message: loginError.message })}
            </p>
          )}
          <button className="button button--primary login__submit" type="submit" disabled={busy || !username.trim() || !password}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
          {/* Only when the server is unreachable: the cached tickets of the last agent, nothing sent until a real sign-in. */}
          {loginError?.kind === 'unreachable' && offlineUser && (
            <div className="login__offline">
              <button className="button" type="button" onClick={continueOffline} data-testid="continue-offline">
                {t('login.continueOffline', { name: offlineUser.displayName })}
              </button>
              <p className="field__hint">{t('login.continueOfflineHint')}</p>
            </div>
          )}
        </form>
      </main>
      <div className="login__language">
        <GlobeIcon size={16} />
        <LanguageSelect compact />
      </div>
    </div>
  );
}
