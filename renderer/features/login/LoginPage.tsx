import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { LoginError } from '../../stores/sessionSlice';
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
  const options = useAppStore((s) => s.signInOptions);
  const loadSignInOptions = useAppStore((s) => s.loadSignInOptions);
  const loginWithSso = useAppStore((s) => s.loginWithSso);
  const ssoWaiting = useAppStore((s) => s.ssoWaiting);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const busy = status === 'signing-in';

  useEffect(() => {
    if (!options.loaded) void loadSignInOptions();
  }, [options.loaded, loadSignInOptions]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) void login(username.trim(), password);
  };

  // The server's rule decides (it refuses password logins when they are off); until it answers, the form shows.
  const passwordForm = options.passwordLoginEnabled;
  const ssoOffered = options.sso !== null;

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
        <p className="login__subtitle">{passwordForm ? t('login.subtitle') : t('login.sso.only')}</p>
        {ssoOffered && (
          <div className="login__sso">
            <button className={`button ${passwordForm ? '' : 'button--primary '}login__submit`} type="button" onClick={() => void loginWithSso()} disabled={busy} data-testid="sso-sign-in">
              {busy && !ssoWaiting ? t('login.sso.returning') : t('login.sso.button')}
            </button>
            {ssoWaiting && (
              <p className="field__hint" role="status">
                {t('login.sso.waiting')}
              </p>
            )}
          </div>
        )}
        {!ssoOffered && options.ssoProblem && (
          <p className="field__hint" role="status" data-testid="sso-unavailable">
            {t('login.sso.unavailable')}
          </p>
        )}
        {ssoOffered && passwordForm && (
          <div className="login__divider" aria-hidden="true">
            <span>{t('login.sso.or')}</span>
          </div>
        )}
        {passwordForm ? (
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
            {loginError && <LoginErrorAlert kind={loginError.kind} message={loginError.message} />}
            <button className="button button--primary login__submit" type="submit" disabled={busy || !username.trim() || !password}>
              {busy && !ssoOffered ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        ) : (
          loginError && <LoginErrorAlert kind={loginError.kind} message={loginError.message} />
        )}
        {/* Only when the server is unreachable: the cached tickets of the last agent, nothing sent until a real sign-in. */}
        {loginError?.kind === 'unreachable' && offlineUser && (
          <div className="login__offline">
            <button className="button" type="button" onClick={continueOffline} data-testid="continue-offline">
              {t('login.continueOffline', { name: offlineUser.displayName })}
            </button>
            <p className="field__hint">{t('login.continueOfflineHint')}</p>
          </div>
        )}
      </main>
      <div className="login__language">
        <GlobeIcon size={16} />
        <LanguageSelect compact />
      </div>
    </div>
  );
}

function LoginErrorAlert(props: LoginError) {
  const t = useT();
  return (
    <p className="alert" role="alert" data-testid="login-error" data-kind={props.kind}>
      {t(`login.error.${props.kind}`, { message: props.message })}
    </p>
  );
}
