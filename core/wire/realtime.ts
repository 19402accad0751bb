/**
 * Close codes every realtime socket of the server uses (sync pokes, the agent's chat, the widget), so a
 * client handles a closing socket the same way whichever it is. The 44xx codes echo the HTTP status of
 * the same refusal; a client reconnects after any of them (after refreshing its token for 4401), and the
 * new socket is bound to the session and scope as they are then.
 *
 *   4400 bad-message     the client sent something the socket does not take
 *   4401 unauthorized    the first message was no valid auth ("unauthorized"), or the session ended since:
 *                        signed out, revoked, user disabled ("session-ended"), access token or widget
 *                        session expired ("token-expired", "session-ended")
 *   4403 scope-changed   the user's role or teams changed: what this socket may carry is no longer what
 *                        it was bound to
 *   4408 auth-timeout    no auth message within the deadline
 *   4429 too-slow        the socket did not read what it was sent fast enough (its send buffer stayed
 *                        full); resume from the last cursor
 */
export const realtimeCloseCodes = {
  badMessage: 4400,
  unauthorized: 4401,
  scopeChanged: 4403,
  authTimeout: 4408,
  tooSlow: 4429,
} as const;

/** The close reasons that go with the codes above (WebSocket close reasons are free text; these are ours). */
export const realtimeCloseReasons = {
  unauthorized: 'unauthorized',
  sessionEnded: 'session-ended',
  tokenExpired: 'token-expired',
  scopeChanged: 'scope-changed',
  authTimeout: 'auth-timeout',
  badMessage: 'unexpected-message',
  tooSlow: 'too-slow',
} as const;
