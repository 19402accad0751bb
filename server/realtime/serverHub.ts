import { onSessionEnded } from '../auth/sessions';
import type { Db } from '../db/db';
import { databaseBindingCheck } from './bindings';
import { type Bus, createInProcessBus } from './bus';
import { type RealtimeHub, type RealtimeOptions, createRealtimeHub, defaultRealtimeOptions } from './hub';

export type ServerRealtimeOptions = Pick<RealtimeOptions, 'heartbeatMs' | 'maxBufferedBytes' | 'drainTimeoutMs'> & { bus?: Bus };

/**
 * The server's one hub: bindings re-checked against the database, sessions this process ends closed at
 * once (sessions.ts `onSessionEnded`), an in-process bus unless a broker is handed in.
 */
export function createServerRealtime(
  db: Db,
  { now, log, ...options }: Partial<ServerRealtimeOptions> & { now: () => number; log: (line: string) => void },
): RealtimeHub {
  const bus = options.bus ?? createInProcessBus((topic, err) => log(`realtime bus: ${topic}: ${err instanceof Error ? err.message : String(err)}`));
  const hub = createRealtimeHub({ ...defaultRealtimeOptions, ...definedOf(options), now, log, bus, check: databaseBindingCheck(db, now) });
  const off = onSessionEnded(db, ({ sessionId }) => hub.endSession(sessionId));
  return {
    ...hub,
    get size() {
      return hub.size;
    },
    close() {
      off();
      hub.close();
    },
  };
}

function definedOf<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
