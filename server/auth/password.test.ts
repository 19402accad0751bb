import { describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from './password';

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
