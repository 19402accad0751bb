import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../i18n/useT';

/** What the console's tabs share: loading a server list, an error line, and a secret shown once. */

export type Loaded<T> = { status: 'loading' } | { status: 'loaded'; value: T } | { status: 'error'; message: string };

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads `load` now and again after every `reload()`: the console shows the server's state, never a copy that drifts. */
export function useServerList<T>(load: (() => Promise<T>) | null): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (value) => live && setState({ status: 'loaded', value }),
      (err: unknown) => live && setState({ status: 'error', message: messageOf(err) }),
    );
    return () => {
      live = false;
    };
  }, [load, round]);
  return [state, useCallback(() => setRound((r) => r + 1), [])];
}

/** Runs a change; the server's own words on refusal (409 "Extension 2001 is already …"), prefixed in the user's language. */
export function useChange(after: () => void): { run(fn: () => Promise<unknown>): Promise<boolean>; error: string | null; busy: boolean; clear(): void } {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return {
    error,
    busy,
    clear: () => setError(null),
    async run(fn) {
      setBusy(true);
      setError(null);
      try {
        await fn();
        after();
        return true;
      } catch (err) {
        setError(messageOf(err));
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

export function ChangeError(props: { message: string | null }) {
  const t = useT();
  return props.message ? (
    <p className="alert admin__error" role="alert" data-testid="admin-error">
      {t('admin.refused', { message: props.message })}
    </p>
  ) : null;
}

/** A secret the server returns once (SIP password, provider secret, SCIM token): shown here, then never again. */
export function OnceSecretBox(props: { label: string; secret: string | null; onDone(): void }) {
  const t = useT();
  if (!props.secret) return null;
  return (
    <div className="admin__secret" role="status" data-testid="admin-secret">
      <strong>{props.label}</strong>
      <code data-testid="admin-secret-value">{props.secret}</code>
      <p className="field__hint">{t('admin.secret.once')}</p>
      <button type="button" className="button" onClick={props.onDone}>
        {t('admin.secret.done')}
      </button>
    </div>
  );
}

export function LoadedOr<T>(props: { state: Loaded<T>; children: (value: T) => React.ReactNode }) {
  const t = useT();
  if (props.state.status === 'loading') return <p role="status">{t('admin.loading')}</p>;
  if (props.state.status === 'error') return <p className="alert" role="alert">{t('admin.loadError', { message: props.state.message })}</p>;
  return <>{props.children(props.state.value)}</>;
}

export const splitList = (s: string) => s.split(/[,;]/).map((x) => x.trim()).filter(Boolean);
