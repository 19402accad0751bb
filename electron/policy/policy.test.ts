import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readJsonPolicyFile } from './linux';
import { macPolicyFiles, readMacPolicy } from './mac';
import { appId, createPolicyService, loadEffectivePolicy, readOsPolicy, type PolicyReaderDeps } from './policyService';
import { readText, type RunCommand } from './sources';
import { createUserPolicyStore } from './userStore';
import { parseRegQuery, readWindowsPolicy } from './windows';

const regOutput = [
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Switchboard',
  '    ServerUrl    REG_SZ    https://corp.example.com',
  '    StartAtLogin    REG_DWORD    0x1',
  '    AllowWebMode    REG_DWORD    0x0',
  '    TurnServers    REG_SZ    [{"urls":"turns:turn.example.com:443"}]',
  '    UpdateWindow    REG_SZ    {"start":"02:00",',
  '    LogLevel    REG_SZ    loud',
  '    SipDomain    REG_SZ    ',
  '    Blob    REG_BINARY    00FF',
  '',
].join('\r\n');

const notFound = { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };

function reader(over: Partial<PolicyReaderDeps>): PolicyReaderDeps {
  return { platform: 'linux', env: {}, run: vi.fn(async () => notFound), readText: vi.fn(async () => null), exists: vi.fn(async () => false), userName: 'ada', ...over };
}

describe('Windows policy (reg query)', () => {
  it('parses REG_SZ and REG_DWORD lines and reports other types', () => {
    const { values, problems } = parseRegQuery(regOutput, 'HKLM');
    expect(values).toMatchObject({ ServerUrl: 'https://corp.example.com', StartAtLogin: 1, AllowWebMode: 0, SipDomain: '' });
    expect(problems).toEqual(['HKLM: Blob ignored: unsupported registry type REG_BINARY']);
  });

  it('turns DWORD 0/1 into booleans, parses JSON values, and costs a bad value only its own policy', async () => {
    const run: RunCommand = vi.fn(async (_file, args) => (args[1]!.startsWith('HKLM') ? { code: 0, stdout: regOutput, stderr: '' } : notFound));
    const { machine, userDefaults } = await readWindowsPolicy(run);
    expect(machine.layer).toEqual({ ServerUrl: 'https://corp.example.com', StartAtLogin: true, AllowWebMode: false, TurnServers: [{ urls: 'turns:turn.example.com:443' }] });
    expect(machine.problems.join('\n')).toMatch(/UpdateWindow ignored: not valid JSON/);
    expect(machine.problems.join('\n')).toMatch(/LogLevel ignored/);
    expect(userDefaults).toEqual({ layer: {}, problems: [] });
    expect(run).toHaveBeenCalledWith('reg', ['query', 'HKLM\\Software\\Policies\\Switchboard']);
    expect(run).toHaveBeenCalledWith('reg', ['query', 'HKCU\\Software\\Policies\\Switchboard']);
  });

  it('HKCU values are user defaults: the agent may override them, not HKLM ones', async () => {
    const run: RunCommand = async (_file, args) =>
      args[1]!.startsWith('HKLM')
        ? { code: 0, stdout: '    ServerUrl    REG_SZ    https://corp.example.com\r\n', stderr: '' }
        : { code: 0, stdout: '    LogLevel    REG_SZ    warn\r\n    StartAtLogin    REG_DWORD    0x1\r\n', stderr: '' };
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
    const service = await createPolicyService({ reader: reader({ platform: 'win32', run }), userStore: createUserPolicyStore(path.join(dir, 'u.json')) });
    expect(service.get().sources).toMatchObject({ ServerUrl: 'machine-policy', LogLevel: 'user-policy-default', StartAtLogin: 'user-policy-default' });
    const after = await service.setUser('LogLevel', 'debug');
    expect([after.values.LogLevel, after.sources.LogLevel]).toEqual(['debug', 'user']);
    await expect(service.setUser('ServerUrl', 'https://mine.example.com')).rejects.toMatchObject({ code: 'not-allowed', message: 'ServerUrl is managed by your organization' });
  });

  it('a reg that cannot run or times out is a problem, not a crash', async () => {
    const run: RunCommand = async () => ({ code: null, stdout: '', stderr: 'spawn reg ENOENT' });
    const { machine } = await readWindowsPolicy(run);
    expect(machine.layer).toEqual({});
    expect(machine.problems[0]).toMatch(/reg query failed/);
  });
});

describe('macOS policy (managed preferences)', () => {
  it('reads the device and the user profile through plutil; the user file wins key by key', async () => {
    const json: Record<string, string> = {
      [`/Library/Managed Preferences/${appId}.plist`]: JSON.stringify({ ServerUrl: 'https://device.example.com', LogLevel: 'warn', PayloadUUID: 'x' }),
      [`/Library/Managed Preferences/ada/${appId}.plist`]: JSON.stringify({ ServerUrl: 'https://user.example.com', RelayOnlyTls443: true, TurnServers: '[{"urls":"turns:t.example.com"}]' }),
    };
    const run: RunCommand = vi.fn(async (_file, args) => ({ code: 0, stdout: json[args[args.length - 1]!]!, stderr: '' }));
    const read = await readMacPolicy({ run, exists: async () => true, appId, user: 'ada' });
    expect(read.layer).toEqual({ ServerUrl: 'https://user.example.com', LogLevel: 'warn', RelayOnlyTls443: true, TurnServers: [{ urls: 'turns:t.example.com' }] });
    expect(read.problems).toEqual([`/Library/Managed Preferences/${appId}.plist: unknown policy "PayloadUUID" ignored`]);
    expect(run).toHaveBeenCalledWith('plutil', ['-convert', 'json', '-o', '-', `/Library/Managed Preferences/${appId}.plist`]);
  });

  it('a plist plutil cannot read, or a user name with a slash, yields a problem or is skipped', async () => {
    expect(macPolicyFiles(appId, '../etc')).toHaveLength(1);
    const run: RunCommand = async () => ({ code: 1, stdout: '', stderr: 'Property List error: Unexpected character' });
    const read = await readMacPolicy({ run, exists: async () => true, appId, user: 'ada' });
    expect(read.layer).toEqual({});
    expect(read.problems).toHaveLength(2);
    expect(read.problems[0]).toMatch(/plutil could not read it/);
  });
});

describe('Linux policy file', () => {
  it('reads /etc/switchboard/policy.json; malformed JSON is a problem, a missing file is nothing', async () => {
    const files: Record<string, string> = { '/etc/switchboard/policy.json': '{"ServerUrl":"https://corp.example.com","AllowWebMode":false}' };
    const read = await readJsonPolicyFile(async (p) => files[p] ?? null, '/etc/switchboard/policy.json');
    expect(read).toEqual({ layer: { ServerUrl: 'https://corp.example.com', AllowWebMode: false }, problems: [] });
    expect(await readJsonPolicyFile(async () => '{"ServerUrl":', '/x.json')).toEqual({ layer: {}, problems: ['/x.json: not valid JSON; no policy from it applied'] });
    expect(await readJsonPolicyFile(async () => null, '/x.json')).toEqual({ layer: {}, problems: [] });
    const eacces = Object.assign(new Error('denied'), { code: 'EACCES' });
    expect((await readJsonPolicyFile(async () => Promise.reject(eacces), '/x.json')).problems).toEqual(['/x.json: cannot read (EACCES)']);
  });

  it('SWITCHBOARD_POLICY_FILE adds a file for tests but cannot loosen what /etc sets', async () => {
    const files: Record<string, string> = {
      '/etc/switchboard/policy.json': '{"PasswordLoginEnabled":false}',
      '/tmp/p.json': '{"PasswordLoginEnabled":true,"LogLevel":"debug"}',
    };
    const os = await readOsPolicy(reader({ env: { SWITCHBOARD_POLICY_FILE: '/tmp/p.json' }, readText: async (p) => files[p] ?? null }));
    expect(os.machine.layer).toEqual({ PasswordLoginEnabled: false, LogLevel: 'debug' });
  });
});

describe('user settings file and the policy service', () => {
  it('persists what the agent set, validates it on read, and refuses managed or IT-only policies with a typed error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
    const file = path.join(dir, 'policy-user.json');
    const etc = '{"ServerUrl":"https://corp.example.com"}';
    const deps = reader({ readText: async (p) => (p === '/etc/switchboard/policy.json' ? etc : readText(p)) });
    const service = await createPolicyService({ reader: deps, userStore: createUserPolicyStore(file) });
    await expect(service.setUser('ServerUrl', 'https://mine.example.com')).rejects.toMatchObject({ name: 'HostError', code: 'not-allowed' });
    await expect(service.setUser('UpdateMode', 'none')).rejects.toMatchObject({ code: 'not-allowed', message: 'UpdateMode can only be set by your organization' });
    await expect(service.setUser('LogLevel', 'chatty')).rejects.toMatchObject({ code: 'bad-args' });
    const changed = vi.fn();
    service.onChange(changed);
    await service.setUser('StartAtLogin', true);
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ values: expect.objectContaining({ StartAtLogin: true }) }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ StartAtLogin: true });

    // A restart reads it back; a hand-edited bad or IT-only key is dropped with a problem.
    writeFileSync(file, JSON.stringify({ StartAtLogin: true, LogLevel: 'loud', PasswordLoginEnabled: false }));
    const again = await loadEffectivePolicy({ userDataDir: dir, reader: deps });
    expect(again.values).toMatchObject({ ServerUrl: 'https://corp.example.com', StartAtLogin: true, LogLevel: 'info', PasswordLoginEnabled: true });
    expect(again.sources.ServerUrl).toBe('machine-policy');
    expect(again.problems).toHaveLength(2);
  });

  it('a corrupt settings file resets to defaults with a problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
    writeFileSync(path.join(dir, 'policy-user.json'), '{"StartAt');
    const p = await loadEffectivePolicy({ userDataDir: dir, reader: reader({}) });
    expect(p.values.StartAtLogin).toBe(false);
    expect(p.problems[0]).toMatch(/not valid JSON/);
  });

  it('the macOS domain is the app id of the electron-builder config', () => {
    const config = readFileSync(path.join(__dirname, '../../build/electron-builder.config.cjs'), 'utf8');
    expect(/\bappId:\s*'([^']+)'/.exec(config)?.[1]).toBe(appId);
  });
});
