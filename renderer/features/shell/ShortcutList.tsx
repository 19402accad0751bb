import { Fragment } from 'react';
import type { Translate } from '../../i18n/i18n';
import { KeyCombo } from '../../ui/Kbd';
import { pageMeta } from './pages';
import { shortcutDocs, type ShortcutAction } from './shortcuts';
import { leadPages } from '../../stores/shellSlice';

function describe(action: ShortcutAction, t: Translate): string {
  switch (action.type) {
    case 'go':
      return t('shortcuts.goTo', { page: t(pageMeta[action.page].label) });
    case 'presence':
      return t('shortcuts.setPresence', { presence: t(`presence.${action.presence}`) });
    case 'help':
      return t('shortcuts.help');
  }
}

/** The shortcut table, from the same data the key handler uses (shortcuts.ts). */
export function ShortcutList(props: { t: Translate; hideTeam: boolean }) {
  const { t } = props;
  const docs = shortcutDocs.filter((d) => !(props.hideTeam && d.action.type === 'go' && leadPages.includes(d.action.page)));
  return (
    <table className="shortcut-table">
      <tbody>
        {docs.map((doc, i) => (
          <tr key={i}>
            <td>{describe(doc.action, t)}</td>
            <td className="shortcut-table__keys">
              {doc.keys.map((combo, j) => (
                <Fragment key={j}>
                  {j > 0 && <span className="shortcut-table__or">{t('shortcuts.or')}</span>}
                  <KeyCombo keys={combo} />
                </Fragment>
              ))}
            </td>
          </tr>
        ))}
        <tr>
          <td>{t('shortcuts.closeOverlay')}</td>
          <td className="shortcut-table__keys">
            <KeyCombo keys={['Esc']} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}
