import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/useT';
import { CloseIcon } from '../../ui/icons';
import { ShortcutList } from './ShortcutList';

/** A modal <dialog>: the browser traps focus, closes on Esc and restores focus to the opener. */
export function ShortcutsOverlay(props: { open: boolean; hideTeam: boolean; onClose(): void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" data-testid="shortcuts-overlay" onClose={props.onClose} onClick={(e) => e.target === ref.current && props.onClose()}>
      <div className="dialog__header">
        <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
        <button type="button" className="button button--quiet dialog__close" aria-label={t('shortcuts.close')} onClick={props.onClose}>
          <CloseIcon size={16} />
        </button>
      </div>
      <ShortcutList t={t} hideTeam={props.hideTeam} />
    </dialog>
  );
}
