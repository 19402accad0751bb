import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SipAccount } from '../../core/wire/sip';
import { LoginResponse } from '../../core/wire/auth';
import { buildServer } from '../app';
import { ConfigError, makeConfig } from '../config';
import type { Db } from '../db/db';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { demoPassword, seedDemo } from '../seed/seed';
import { loadSipConfig } from './sipAccount';

let db: Db;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openPglite('memory://');
  await migrate(db);
  await seedDemo(db, { tickets: 5, customers: 5, kpiHistory: false });
  app = buildServer(makeConfig({ tokenSecret: 'test-secret-that-is-long-enough-0123456789', logLevel: 'silent' }), { db });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function tokenOf(username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { username, password: demoPassword } });
  return LoginResponse.parse(res.json()).accessToken;
}

describe('GET /me/sip-account', () => {
  test('gives an agent their own extension, the test PBX password and the configured PBX', async () => {
    const res = await app.inject({ method: 'GET', url: '/me/sip-account', headers: { authorization: `Bearer ${await tokenOf('agent2')}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(SipAccount.parse(res.json())).toEqual({
      wsUri: 'ws://127.0.0.1:8080',
      sipUri: 'sip:1002@127.0.0.1',
      authUser: '1002',
      password: 'test1002',
      displayName: '陳怡婷',
      iceServers: [],
    });
  });

  test('is 404 with an explanation for a user without an extension', async () => {
    const res = await app.inject({ method: 'GET', url: '/me/sip-account', headers: { authorization: `Bearer ${await tokenOf('admin')}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  test('refuses a caller without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/me/sip-account' });
    expect(res.statusCode).toBe(401);
  });
});

describe('loadSipConfig', () => {
  test('reads the PBX URL, domain and TURN servers from the environment', () => {
    const ice = [{ urls: 'turn:turn.example.com:3478', username: 'u', credential: 'c' }];
    expect(loadSipConfig({ SWITCHBOARD_SIP_WS_URL: 'wss://pbx.example.com:8443/ws', SWITCHBOARD_SIP_DOMAIN: 'example.com', SWITCHBOARD_SIP_ICE_SERVERS: JSON.stringify(ice) })).toEqual({
      wsUrl: 'wss://pbx.example.com:8443/ws',
      domain: 'example.com',
      iceServers: ice,
      demoCustomerLine: false,
    });
    expect(loadSipConfig({ SWITCHBOARD_SIP_ECHO_EXTENSION: '9196' }).echoExtension).toBe('9196');
  });

  test('names the variable that is wrong', () => {
    expect(() => loadSipConfig({ SWITCHBOARD_SIP_WS_URL: 'http://pbx' })).toThrow(/SWITCHBOARD_SIP_WS_URL/);
    expect(() => loadSipConfig({ SWITCHBOARD_SIP_ICE_SERVERS: '[{' })).toThrow(ConfigError);
  });
});
