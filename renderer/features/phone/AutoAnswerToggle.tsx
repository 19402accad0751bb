import { useId, useState } from 'react';
import { isManaged } from '../../../core/policy/effective';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ManagedBadge } from '../settings/ManagedBadge';

/**
 * "Answer calls automatically" (the AutoAnswer policy): on the Phone page and in Settings → Phone. Locked
 * with the managed badge when IT sets it. Saved through the same user-policy path as the other settings.
 */
export function AutoAnswerToggle(props: { testId: string }) {
  const t = useT();
  const id = useId();
  const policy = useAppStore((s) => s.policy);
  const setUserPolicy = useAppStore((s) => s.setUserPolicy);
  const [error, setError] = useState<string | null>(null);
  const managed = isManaged(policy, 'AutoAnswer');
  const on = policy.values.AutoAnswer;
  const change = async (next: boolean) => {
    const r = await setUserPolicy('AutoAnswer', next);
    setError(r.ok ? null : t('settings.policy.refused', { message: r.message }));
  };
  return (
    <div className="field auto-answer" data-testid={props.testId}>
      <div className="policy-field__head">
        <label className="policy-field__check" htmlFor={id}>
          <input id={id} type="checkbox" data-testid={`${props.testId}-input`} checked={on} disabled={managed} onChange={(e) => void change(e.target.checked)} />
          {t('phone.autoAnswer.label')}
        </label>
        {managed && <ManagedBadge />}
      </div>
      <p className="field__hint">{t('phone.autoAnswer.hint')}</p>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
