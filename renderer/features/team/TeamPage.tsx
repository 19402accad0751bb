import { useEffect } from 'react';
import type { TeamRoster } from '../../../core/wire/auth';
import type { Translate } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { TeamIcon } from '../../ui/icons';
import { TeamLiveView } from './TeamLiveView';
import './team.css';

/** For leads: the team live (coaching) and who is on the team, with role and extension (GET /teams/:id/roster). */
export function TeamPage() {
  const t = useT();
  const teamId = useAppStore((s) => s.user?.teams[0]?.id);
  const roster = useAppStore((s) => s.roster);
  const loadRoster = useAppStore((s) => s.loadRoster);

  useEffect(() => {
    if (teamId) void loadRoster(teamId);
  }, [teamId, loadRoster]);

  const title = roster.status === 'loaded' ? `${t('team.title')} · ${roster.roster.team.name}` : t('team.title');
  return (
    <Page title={title}>
      {!teamId ? (
        <EmptyState icon={<TeamIcon size={28} />} title={t('team.title')}>
          {t('team.none')}
        </EmptyState>
      ) : roster.status === 'error' ? (
        <div className="alert team__error" role="alert">
          <span>{t('team.error', { message: roster.message })}</span>
          <button type="button" className="button" onClick={() => void loadRoster(teamId)}>
            {t('team.retry')}
          </button>
        </div>
      ) : roster.status === 'loaded' ? (
        <>
          <TeamLiveView teamId={teamId} />
          <RosterTable roster={roster.roster} t={t} />
        </>
      ) : (
        <p className="team__loading" role="status">
          {t('team.loading')}
        </p>
      )}
    </Page>
  );
}

function RosterTable(props: { roster: TeamRoster; t: Translate }) {
  const { roster, t } = props;
  return (
    <section aria-labelledby="team-roster-caption">
      <p id="team-roster-caption" className="team__count">
        {t('team.members', { count: roster.members.length })}
      </p>
      <table className="data-table" data-testid="team-roster" aria-labelledby="team-roster-caption">
        <thead>
          <tr>
            <th scope="col">{t('team.col.name')}</th>
            <th scope="col">{t('team.col.role')}</th>
            <th scope="col">{t('team.col.extension')}</th>
          </tr>
        </thead>
        <tbody>
          {roster.members.map((m) => (
            <tr key={m.id}>
              <td>
                <span className="team__avatar" aria-hidden="true">
                  {[...m.displayName][0]}
                </span>
                {m.displayName}
              </td>
              <td>
                <span className={`role-tag role-tag--${m.role}`}>{t(`role.${m.role}`)}</span>
              </td>
              <td className="data-table__mono">{m.extension ?? <span className="team__none">{t('team.noExtension')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
