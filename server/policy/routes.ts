import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { parsePolicyLayer } from '../../core/policy/effective';
import type { PolicyLayer } from '../../core/policy/schema';
import { HttpError } from '../http/errors';

/**
 * GET /client/policy: IT's managed policy for web clients (the browser host has no registry or
 * /etc to read). The file named by SWITCHBOARD_CLIENT_POLICY has the format of the Linux policy file
 * (build/policy/linux/policy.schema.json). It is read on every request, so an edit applies at the
 * agents' next start without a server restart; it is tiny. Public on purpose: the login page needs it
 * (PasswordLoginEnabled, AllowWebMode) before anyone signs in, and it holds no secrets by design
 * (TURN credentials that must stay private belong in the server's provisioned ICE servers).
 */
export function clientPolicyRoutes(app: FastifyInstance, options: { file: string | null }): void {
  app.get('/client/policy', async (request, reply): Promise<PolicyLayer> => {
    void reply.header('cache-control', 'no-store');
    if (!options.file) return {};
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (err) {
      request.log.error(`client policy: cannot read ${options.file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      throw new HttpError(503, 'unavailable', 'The client policy is unavailable.');
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      // Refuse rather than serve nothing: "no policy" would silently unlock every setting IT locked.
      request.log.error(`client policy: ${options.file} is not valid JSON`);
      throw new HttpError(503, 'unavailable', 'The client policy is unavailable.');
    }
    const { layer, problems } = parsePolicyLayer(raw, options.file);
    for (const problem of problems) request.log.warn(`client policy: ${problem}`);
    return layer;
  });
}
