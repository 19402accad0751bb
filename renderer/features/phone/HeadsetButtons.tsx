import { useSyncExternalStore } from 'react';
import { useT } from '../../i18n/useT';
import { useHeadset } from './HeadsetContext';

import type { HeadsetStatus } from '../../services/headset/hidHeadset';

// One object: useSyncExternalStore compares snapshots by identity, and a fresh one each render loops.
const unsupported: HeadsetStatus = { kind: 'unsupported' };

/** Settings → Phone: connect a headset whose buttons answer, hang up, mute and hold (WebHID). */
export function HeadsetButtons() {
  const t = useT();
  const headset = useHeadset();
  const status = useSyncExternalStore(
    (l) => headset?.subscribe(l) ?? (() => undefined),
    () => headset?.status() ?? unsupported,
  );
  if (!headset) return null;
  return (
    <div className="field headset" data-testid="headset" data-state={status.kind}>
      <span className="field__label">{t('phone.headset.title')}</span>
      {status.kind === 'connected' ? (
        <p className="field__hint" data-testid="headset-status">{t('phone.headset.connected', { name: status.name })}</p>
      ) : status.kind === 'unsupported' ? (
        <p className="field__hint" data-testid="headset-status">{t('phone.headset.unsupported')}</p>
      ) : (
        <>
          <button type="button" className="button button--small" data-testid="headset-connect" onClick={() => void headset.connect()}>
            {t('phone.headset.connect')}
          </button>
          {status.kind === 'failed' && (
            <p className="field__error" role="alert">
              {t('phone.headset.failed', { message: status.message })}
            </p>
          )}
        </>
      )}
      <p className="field__hint">{t('phone.headset.hint')}</p>
    </div>
  );
}
