import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../i18n/useT';
import { dispositions, formatDuration } from '../../../core/call/rules';
import type { CallView } from '../../stores/phoneSlice';
import { remoteLabel } from './usePhone';

/** After-call work: a disposition is required (it feeds reporting), a note is optional. */
export function WrapUpPanel(props: { view: CallView; ticketNumber: number | undefined; onDone(disposition: string, note: string): void }) {
  const t = useT();
  const id = useId();
  const [disposition, setDisposition] = useState('');
  const [note, setNote] = useState('');
  const { call } = props.view;
  const who = remoteLabel(props.view);
  const duration = call.marks.establishedAt !== undefined ? formatDuration((call.marks.endedAt ?? Date.now()) - call.marks.establishedAt) : formatDuration(0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (disposition) props.onDone(disposition, note);
  };
  return (
    <form className="wrapup" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="wrapup" data-call-id={call.id}>
      <h2 className="wrapup__title" id={`${id}-title`}>
        {t('phone.wrapup.title')}
      </h2>
      <p className="wrapup__who">{t('phone.wrapup.with', { who: who.name, duration })}</p>
      <p className="field__hint">{t('phone.wrapup.hint')}</p>
      <div className="field">
        <label htmlFor={`${id}-d`} className="field__label">
          {t('phone.wrapup.disposition')}
        </label>
        <select id={`${id}-d`} className="select" data-testid="wrapup-disposition" value={disposition} required onChange={(e) => setDisposition(e.target.value)}>
          <option value="">{t('phone.wrapup.choose')}</option>
          {dispositions.map((d) => (
            <option key={d} value={d}>
              {t(`phone.disposition.${d}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-n`} className="field__label">
          {t('phone.wrapup.note')}
        </label>
        <textarea id={`${id}-n`} className="input wrapup__note" rows={3} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {props.ticketNumber !== undefined && <p className="field__hint">{t('phone.wrapup.ticket', { number: props.ticketNumber })}</p>}
      <button type="submit" className="button button--primary" data-testid="wrapup-done" disabled={!disposition}>
        {t('phone.wrapup.done')}
      </button>
    </form>
  );
}
