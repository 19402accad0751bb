import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../core/wire/auth';
import { openUserDatabases, type UserDatabases } from '../db/userDatabases';
import { uniqueName } from '../../../tests/support/renderer/dexieProbes';
import { createUserSession, type UserPart, type UserSession } from './userSession';

const user = (id: string): User => ({ id, username: id, displayName: id, role: 'agent', teams: [], language: 'en', extension: null });
let session: UserSession | null = null;
afterEach(() => session?.dispose());

function setup() {
  const events: string[] = [];
  const opened: UserDatabases[] = [];
  const prefix = uniqueName('user');
  session = createUserSession({
    setTimeout: () => () => {},
    log: () => {},
    openDatabases: (userId) => {
      const dbs = openUserDatabases(`${prefix}-${userId}`);
      opened.push(dbs);
      return dbs;
    },
  });
  const part = (name: string): UserPart => ({
    name,
    start: (s) => void events.push(`start ${name} ${s.user.id}${s.offline ? ' offline' : ''}`),
    stop: (reason) => void events.push(`stop ${name} ${reason}`),
  });
  session.register(part('sync'));
  session.register(part('chat'));
  return { session, events, opened };
}

describe('user session', () => {
  it('starts the parts in order at sign-in and stops them in reverse, with the reason', () => {
    const { session, events } = setup();
    session.signedIn(user('u1'), false);
    session.signedIn(user('u1'), false);
    session.signedOut('session-lost');
    session.signedOut('sign-out');
    expect(events).toEqual(['start sync u1', 'start chat u1', 'stop chat session-lost', 'stop sync session-lost']);
  });

  it("opens one connection to each of the user's databases, kept when the same user goes online, never shared with another user", () => {
    const { session, events, opened } = setup();
    session.signedIn(user('u1'), true);
    const first = session.current()?.dbs;
    session.signedIn(user('u1'), false);
    expect(session.current()?.dbs).toBe(first);
    session.signedIn(user('u2'), false);
    expect(opened.map((d) => d.userId.split('-').pop())).toEqual(['u1', 'u2']);
    expect([opened[0]!.cache.hasBeenClosed(), opened[0]!.outbox.hasBeenClosed()]).toEqual([true, true]);
    expect(session.current()?.user.id).toBe('u2');
    expect(events.filter((e) => e.startsWith('stop'))).toEqual(['stop chat mode-changed', 'stop sync mode-changed', 'stop chat user-changed', 'stop sync user-changed']);
  });
});
