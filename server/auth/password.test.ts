import { describe, expect, test } from 'vitest';
import { createHashGate, hashPassword, PasswordHashingBusy, verifyPassword } from './password';

describe('password hashing', () => {
  test('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
  });

  test('treats malformed stored hashes as a mismatch instead of throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$x$8$1$AAAA$AAAA', 'bcrypt$1$2$3$4$5', 'scrypt$16384$8$1$c2FsdA==$c2hvcnQ=']) {
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
  });
});

describe('issue 12 item 5 (login limiting): bounded password hashing', () => {
  test('issue 12 item 5 (login limiting): at most `concurrency` hashes run; past the queue, verifying is refused at once', async () => {
    const gate = createHashGate({ concurrency: 2, queue: 1 });
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return true;
    };
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => gate.run(task, { bounded: true })));
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof PasswordHashingBusy)).toHaveLength(3);
    // Unbounded callers (hashing a new password) wait instead.
    expect(await Promise.all(Array.from({ length: 6 }, () => gate.run(task)))).toHaveLength(6);
    expect(most).toBe(2);
    expect(gate.active).toBe(0);
  });

  test('issue 12 item 5 (login limiting): verifyPassword goes through the gate', async () => {
    const stored = await hashPassword('pw');
    const full = createHashGate({ concurrency: 1, queue: 0 });
    const first = verifyPassword('pw', stored, full);
    await expect(verifyPassword('pw', stored, full)).rejects.toBeInstanceOf(PasswordHashingBusy);
    expect(await first).toBe(true);
  });
});
