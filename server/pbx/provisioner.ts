import { execFile } from 'node:child_process';
import type { EmbeddedPbx } from './embeddedPbx';

/**
 * What the server tells the SIP registrar when credentials change (issue 16), one interface for both ways
 * Kamailio reads them:
 *
 *   - embedded PGlite (`npm start`): Kamailio's auth_db reads the db_text file the server writes
 *     (./subscribers.ts); `changed` rewrites it now instead of at the next 5-second poll;
 *   - PostgreSQL: Kamailio's auth_db (db_postgres) reads the `sip_subscriber` view over `users`
 *     (0150-admin.sql), so the new credentials are in force at once and there is nothing to write.
 *
 * Either way a rotated password or a deactivation must also end the registration made with the old
 * one: a contact stays in usrloc until it expires (up to max_expires, an hour) whatever the subscriber
 * table says. `ul.rm location <aor>` over Kamailio's control socket (kamcmd, the ctl module's binrpc)
 * removes it, so calls stop reaching that phone at once and its next REGISTER meets the new credentials.
 */
export type SipProvisioner = {
  /** The subscriber table changed; `signOut` lists extensions whose registrations must end now. */
  changed(signOut: readonly string[]): Promise<void>;
};

/**
 * kamcmd against a ctl socket (`unix:/path` or `tcp:host:port`). The AOR goes as `s:<ext>`: kamcmd reads a
 * bare number as an integer, and ul.rm then answers "Not enough parameters". kamcmd exits 0 on an RPC
 * error and prints it, so the text decides; an AOR that is not registered is not an error.
 */
export function kamcmdUnregister(ctlSocket: string, extension: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('kamcmd', ['-s', ctlSocket, 'ul.rm', 'location', `s:${extension}`], { timeout: 5000 }, (err, stdout, stderr) => {
      const said = `${stdout} ${stderr}`.trim();
      if (/not found/i.test(said)) resolve();
      else if (err || /error/i.test(said)) reject(new Error(`kamcmd ul.rm ${extension}: ${said || err?.message}`));
      else resolve();
    });
  });
}

/**
 * The provisioner for this server: the embedded PBX when it runs, else an external Kamailio whose control
 * socket is SWITCHBOARD_KAMAILIO_CTL (nothing to sign out without one: the registration ends at its expiry).
 */
export function sipProvisioner(pbx: { current: EmbeddedPbx | null } | undefined, log: (line: string) => void, ctl = process.env.SWITCHBOARD_KAMAILIO_CTL): SipProvisioner {
  return {
    async changed(signOut) {
      const embedded = pbx?.current;
      const socket = embedded ? embedded.ctlSocket : ctl;
      if (embedded) await embedded.provision();
      if (!socket) return;
      for (const extension of signOut) {
        await kamcmdUnregister(socket, extension).catch((err: unknown) => log(`[pbx] ${extension}: ${err instanceof Error ? err.message : String(err)}`));
      }
    },
  };
}
