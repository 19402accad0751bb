import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto). The stored form carries its parameters,
 * `scrypt$N$r$p$salt$hash` (base64), so they can be raised later without breaking old hashes.
 * N=2^15, r=8, p=1 follows the OWASP password storage cheat sheet; it needs 32 MiB, hence maxmem.
 */
const defaults = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 };

/** The hashing was refused because the server is already hashing as much as it will; try again shortly. */
export class PasswordHashingBusy extends Error {
  override readonly name = 'PasswordHashingBusy';
  constructor() {
    super('password hashing is at capacity');
  }
}

/**
 * Bounds how many scrypt runs the process does at once. Each takes 32 MiB and a libuv pool thread (4 by
 * default, shared with file I/O and DNS) for tens of milliseconds, so a flood of sign-ins, unknown names
 * included, would otherwise queue without end, exhaust memory and starve everything else. Beyond
 * `concurrency` runs, up to `queue` callers wait; `run(task, { bounded: true })` past that throws
 * PasswordHashingBusy at once instead of queueing (the login route answers 503 with Retry-After).
 * Hashing a new password (seed, administration) is not exposed to strangers and always waits.
 */
export type HashGate = {
  run<T>(task: () => Promise<T>, options?: { bounded?: boolean }): Promise<T>;
  readonly active: number;
  readonly waiting: number;
};

export function createHashGate({ concurrency = 2, queue = 32 }: { concurrency?: number; queue?: number } = {}): HashGate {
  let active = 0;
  const waiters: (() => void)[] = [];
  const release = () => {
    const next = waiters.shift();
    if (next) next();
    else active--;
  };
  return {
    async run(task, { bounded = false } = {}) {
      if (active >= concurrency) {
        if (bounded && waiters.length >= queue) throw new PasswordHashingBusy();
        // The slot is handed over by release(), so `active` stays counted while it changes hands.
        await new Promise<void>((resolve) => waiters.push(resolve));
      } else {
        active++;
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
  };
}

/** One gate for the process: the CPU and the pool threads are shared by every server in it. */
export const passwordHashing = createHashGate();

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 256 * options.N! * options.r! }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, gate: HashGate = passwordHashing): Promise<string> {
  const { N, r, p, keyLength, saltLength } = defaults;
  const salt = randomBytes(saltLength);
  const key = await gate.run(() => derive(password, salt, keyLength, { N, r, p }));
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * False for a wrong password and for a malformed stored hash (never throws on bad data). Throws
 * PasswordHashingBusy when the gate is full: this runs for anyone who can reach the login route.
 */
export async function verifyPassword(password: string, stored: string, gate: HashGate = passwordHashing): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return false;
  const actual = await gate.run(() => derive(password, salt, expected.length, { N, r, p }), { bounded: true });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password: checked when the username does not exist, so an unknown user
 * costs the same time as a wrong password and the response time does not reveal which usernames exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
