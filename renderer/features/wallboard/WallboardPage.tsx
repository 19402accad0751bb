import { useCallback, useEffect, useState } from 'react';
import type { BoardTeams } from '../../../core/wire/board';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { EmptyState, Page } from '../../ui/EmptyState';
import { WallboardIcon } from '../../ui/icons';
import { BoardView } from './BoardView';
import { FloorEditor } from './FloorEditor';
import { VoiceQueueEditor } from '../queues/VoiceQueueEditor';
import { useNow } from './useNow';
import './wallboard.css';

/**
 * For leads (their teams) and admins (every team): the live wallboard, pushed over the realtime channel.
 * "TV mode" covers the whole window with the board alone (large type, high contrast, no navigation) and
 * asks the host for full screen (Electron: the window, over IPC; the browser: the Fullscreen API); Esc or
 * the button in the corner leaves it.
 */
export function WallboardPage() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const user = useAppStore((s) => s.user);
  const loadFloor = useAppStore((s) => s.loadTeamFloor);
  const watch = useAppStore((s) => s.watchWallboard);
  const feed = useAppStore((s) => s.wallboard);
  const [teams, setTeams] = useState<BoardTeams['teams']>(() => user?.teams.map((x) => ({ id: x.id, name: x.name })) ?? []);
  const [teamId, setTeamId] = useState<string | null>(() => user?.teams[0]?.id ?? null);
  const [tv, setTv] = useState(false);
  const [editing, setEditing] = useState(false);
  const [editingQueues, setEditingQueues] = useState(false);
  const local = useNow(1000);
  const loadTeams = useAppStore((s) => s.loadBoardTeams);

  useEffect(() => {
    // Admins watch any team: the list comes from the server (a lead's are their own teams).
    let cancelled = false;
    loadTeams()
      .then((list) => {
        if (cancelled) return;
        setTeams(list);
        setTeamId((current) => current ?? list[0]?.id ?? null);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [loadTeams]);

  useEffect(() => (teamId ? watch(teamId) : undefined), [teamId, watch]);

  const setFullScreen = useAppStore((s) => s.setFullScreen);
  const leaveTv = useCallback(() => {
    setTv(false);
    void setFullScreen(false);
  }, [setFullScreen]);
  const enterTv = () => {
    setTv(true);
    // Asked at once, inside the click (the browser's Fullscreen API wants the gesture). The TV layout
    // covers the window either way; Electron makes the window fill the screen (window:set-full-screen).
    void setFullScreen(true);
  };
  useEffect(() => {
    if (!tv) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') leaveTv();
    };
    // Leaving the browser's full screen (its own Esc, F11) leaves TV mode too.
    const onFs = () => {
      if (!document.fullscreenElement) setTv(false);
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFs);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFs);
    };
  }, [tv, leaveTv]);

  const current = feed && feed.teamId === teamId ? feed : null;
  const snapshot = current?.snapshot ?? null;
  const now = local + (current?.skewMs ?? 0);
  const teamName = snapshot?.team.name ?? teams.find((x) => x.id === teamId)?.name ?? '';
  const clock = snapshot ? new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: snapshot.team.timeZone, timeZoneName: 'short' }).format(now) : '';
  const status = !current ? null : current.refused ? 'refused' : current.live ? 'live' : 'reconnecting';

  const header = (
    <div className="board-header">
      <div className="board-header__team">
        {!tv && teams.length > 1 ? (
          <label className="board-header__picker">
            <span className="visually-hidden">{t('board.team')}</span>
            <select className="select" value={teamId ?? ''} onChange={(e) => setTeamId(e.target.value)} data-testid="board-team">
              {teams.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="board-header__name">{teamName}</span>
        )}
        {clock && <span className="board-header__clock" data-testid="board-clock">{clock}</span>}
      </div>
      {status && (
        <span className={`board-live board-live--${status}`} role="status" data-testid="board-live" data-status={status}>
          <span className="board-live__dot" aria-hidden="true" />
          {t(`board.status.${status}`)}
        </span>
      )}
      <div className="board-header__actions">
        {!tv && user?.role !== 'agent' && teamId && (
          <button type="button" className="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing} data-testid="board-edit-floor">
            {t('board.floor.edit')}
          </button>
        )}
        {!tv && user?.role !== 'agent' && teamId && (
          <button type="button" className="button" onClick={() => setEditingQueues((e) => !e)} aria-expanded={editingQueues} data-testid="board-edit-queues">
            {t('queues.editor.open')}
          </button>
        )}
        {tv ? (
          <button type="button" className="board-exit" onClick={leaveTv} data-testid="board-exit-tv">
            {t('board.tv.exit')} <kbd>Esc</kbd>
          </button>
        ) : (
          <button type="button" className="button button--primary" onClick={enterTv} disabled={!snapshot} data-testid="board-enter-tv">
            {t('board.tv.enter')}
          </button>
        )}
      </div>
    </div>
  );

  const body = !teamId ? (
    <EmptyState icon={<WallboardIcon size={28} />} title={t('board.title')}>
      {t('board.noTeam')}
    </EmptyState>
  ) : current?.refused ? (
    <p className="alert" role="alert">
      {current.refused}
    </p>
  ) : snapshot ? (
    <BoardView snapshot={snapshot} now={now} locale={locale} t={t} tv={tv} />
  ) : (
    <p className="board__loading" role="status">
      {t('board.loading')}
    </p>
  );

  if (tv) {
    return (
      <div className="board-tv" data-testid="wallboard-tv">
        {header}
        {body}
      </div>
    );
  }
  return (
    <Page title={t('board.title')}>
      <div className="board-page" data-testid="wallboard">
        {header}
        {editing && teamId && <FloorEditor teamId={teamId} load={loadFloor} onClose={() => setEditing(false)} />}
        {editingQueues && teamId && <VoiceQueueEditor teamId={teamId} agents={snapshot?.agents ?? []} />}
        {body}
      </div>
    </Page>
  );
}
