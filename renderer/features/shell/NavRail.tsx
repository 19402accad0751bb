import { useT } from '../../i18n/useT';
import { canSeePage, pageIds, type PageId } from '../../stores/shellSlice';
import type { Role } from '../../../core/wire/auth';
import { pageMeta } from './pages';

/** The left rail: one button per page the user may see; Alt+N is shown in each tooltip. */
export function NavRail(props: { page: PageId; role: Role | undefined; badges?: Partial<Record<PageId, number>>; onNavigate(page: PageId): void }) {
  const t = useT();
  return (
    <nav className="rail" aria-label={t('nav.label')}>
      <div className="rail__logo" aria-hidden="true">
        S
      </div>
      <ul className="rail__list">
        {pageIds.map((page, index) => {
          if (!canSeePage(page, props.role)) return null;
          const { label, icon: Icon } = pageMeta[page];
          const active = page === props.page;
          const badge = props.badges?.[page];
          return (
            <li key={page} className={page === 'settings' ? 'rail__item rail__item--end' : 'rail__item'}>
              <button
                type="button"
                className={active ? 'rail__button rail__button--active' : 'rail__button'}
                aria-current={active ? 'page' : undefined}
                data-testid={`nav-${page}`}
                title={index < 9 ? `${t(label)} (Alt+${index + 1})` : t(label)}
                onClick={() => props.onNavigate(page)}
              >
                <Icon size={20} />
                <span className="rail__label">{t(label)}</span>
                {badge ? (
                  <span className="rail__badge" aria-label={`(${badge})`}>
                    {badge > 99 ? '99+' : badge}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
