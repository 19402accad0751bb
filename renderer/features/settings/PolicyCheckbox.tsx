import { useId, useState } from 'react';
import { isManaged } from '../../../core/policy/effective';
import type { PolicyName, PolicyValues } from '../../../core/policy/schema';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { ManagedBadge } from './ManagedBadge';

type BooleanPolicy = { [K in PolicyName]: PolicyValues[K] extends boolean ? K : never }[PolicyName];

/**
 * An on/off setting backed by a user-settable policy (StartAtLogin, AutoAnswer): locked with the managed
 * badge when IT sets it, saved through the same user-policy path as the other settings, and saying so
 * when the host refuses the change.
 */
export function PolicyCheckbox(props: { name: BooleanPolicy; label: string; hint?: string; testId: string; inputTestId: string; className?: string }) {
  const t = useT();
  const id = useId();
  const policy = useAppStore((s) => s.policy);
  const setUserPolicy = useAppStore((s) => s.setUserPolicy);
  const [error, setError] = useState<string | null>(null);
  const managed = isManaged(policy, props.name);
  const change = async (next: boolean) => {
    const r = await setUserPolicy(props.name, next);
    setError(r.ok ? null : t('settings.policy.refused', { message: r.message }));
  };
  return (
    <div className={`field ${props.className ?? 'policy-field'}`} data-testid={props.testId}>
      <div className="policy-field__head">
        <label className="policy-field__check" htmlFor={id}>
          <input id={id} type="checkbox" data-testid={props.inputTestId} checked={policy.values[props.name]} disabled={managed} onChange={(e) => void change(e.target.checked)} />
          {props.label}
        </label>
        {managed && <ManagedBadge />}
      </div>
      {props.hint && <p className="field__hint">{props.hint}</p>}
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
