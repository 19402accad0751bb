import Fastify from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { sendError } from '../http/errors';
import { clientPolicyRoutes } from './routes';

function serve(file: string | null) {
  const app = Fastify({ logger: false });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  clientPolicyRoutes(app, { file });
  return app;
}

describe('GET /client/policy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'client-policy-'));

  it('serves the validated policy, dropping bad keys, never cached', async () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ ServerUrl: 'https://corp.example.com', LogLevel: 'warn', StartAtLogin: 'yes', Unknown: 1 }));
    const res = await serve(file).inject({ method: 'GET', url: '/client/policy' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ ServerUrl: 'https://corp.example.com', LogLevel: 'warn' });
    // Read per request: an edit applies without a restart.
    writeFileSync(file, JSON.stringify({ AllowWebMode: false }));
    expect((await serve(file).inject({ method: 'GET', url: '/client/policy' })).json()).toEqual({ AllowWebMode: false });
  });

  it('no file configured: an empty policy', async () => {
    expect((await serve(null).inject({ method: 'GET', url: '/client/policy' })).json()).toEqual({});
  });

  it('a missing or malformed file answers 503 instead of silently unlocking everything', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"ServerUrl":');
    for (const file of [bad, join(dir, 'missing.json')]) {
      const res = await serve(file).inject({ method: 'GET', url: '/client/policy' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'unavailable' } });
    }
  });

  it('SWITCHBOARD_CLIENT_POLICY names the file', () => {
    expect(loadConfig({ SWITCHBOARD_DATA_DIR: 'memory://', SWITCHBOARD_CLIENT_POLICY: '/etc/switchboard/web-policy.json' }).clientPolicy).toBe('/etc/switchboard/web-policy.json');
    expect(loadConfig({ SWITCHBOARD_DATA_DIR: 'memory://' }).clientPolicy).toBeNull();
  });
});
