/**
 * What the realtime hub publishes through, so that several server instances can share one fan-out: a
 * message published on a topic reaches every subscriber of that topic on every instance, this one
 * included. Messages are plain JSON values (a broker carries bytes), and delivery is at most once and
 * unordered across topics: every feature re-reads durable state (the chat event log, the sync pull) and
 * uses the bus only to learn that it should.
 *
 * The in-process bus below is the default (`npm start`, one process); redisBus.ts is the broker for several
 * instances (SWITCHBOARD_BROKER_URL).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Bus = {
  publish(topic: string, message: Json): void;
  /** Returns the unsubscribe. */
  subscribe(topic: string, handler: (message: Json) => void): () => void;
  /**
   * A broker calls this after it reconnected: messages published meanwhile may be lost, so a feature that
   * learns of new durable state through the bus re-reads it here. The in-process bus never loses one.
   */
  onResume?(handler: () => void): () => void;
  /** A broker's: whether it is connected now (the readiness check); the in-process bus has none. */
  connected?(): boolean;
};

/**
 * One process: handlers run synchronously inside `publish`, in subscription order. A handler that throws
 * does not stop the others; the error goes to `onError`.
 */
export function createInProcessBus(onError: (topic: string, err: unknown) => void = () => {}): Bus {
  const topics = new Map<string, Set<(message: Json) => void>>();
  return {
    publish(topic, message) {
      for (const handler of [...(topics.get(topic) ?? [])]) {
        try {
          handler(message);
        } catch (err) {
          onError(topic, err);
        }
      }
    },
    subscribe(topic, handler) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
  };
}
