import { describe, expect, it } from 'vitest';
import { redactSipMessage, redactText, redactValue, REDACTED, scrubLiterals } from './redact';

const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJyb2xlIjoiYWdlbnQifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA';
const refresh = 'q3ZtL0c9bX1oWm8yRHNhY2tCZ3pFa1FNaGZ4dWJ0YjM'; // 43 base64url chars, like newRefreshToken()

const register = [
  'REGISTER sip:pbx.example.com SIP/2.0',
  'Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK7823416',
  'Call-ID: 7n1sd8s0a2mfbk6ncqgq',
  'Authorization: Digest algorithm=MD5, username="1003", realm="pbx.example.com", nonce="ZmY5YjQ4Y2UtNmU3ZS00", uri="sip:pbx.example.com", response="6629fae49393a05397450978507c4ef1", opaque="abc123", qop=auth, cc=00000001, cnonce="8f0b1c2d3e"',
  'Proxy-Authorization: Digest username="1003", nonce=unquotednonce42, response=0123456789abcdef0123456789abcdef',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('redactText', () => {
  it('removes digest responses and nonces but keeps the user, realm and call ids an engineer needs', () => {
    const out = redactText(register);
    for (const secret of ['6629fae49393a05397450978507c4ef1', 'ZmY5YjQ4Y2UtNmU3ZS00', '8f0b1c2d3e', 'abc123', 'unquotednonce42', '0123456789abcdef0123456789abcdef']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('username="1003"');
    expect(out).toContain('realm="pbx.example.com"');
    expect(out).toContain('Call-ID: 7n1sd8s0a2mfbk6ncqgq');
    expect(out).toContain('branch=z9hG4bK7823416');
  });

  it('removes bearer tokens, JWTs anywhere, and long opaque tokens, but not UUIDs', () => {
    const line = `[api] GET /tickets failed with Authorization: Bearer ${jwt}; refresh ${refresh}; ticket 0b7c6d3e-8f1a-4b2c-9d0e-1f2a3b4c5d6e; raw ${jwt}`;
    const out = redactText(line);
    expect(out).not.toContain(jwt.slice(0, 30));
    expect(out).not.toContain(refresh);
    expect(out).toContain('0b7c6d3e-8f1a-4b2c-9d0e-1f2a3b4c5d6e');
    // The scheme stays: it tells an engineer which kind of credential was sent.
    expect(out).toContain(`Authorization: Bearer ${REDACTED}`);
  });

  it('removes secrets in query strings, k=v pairs, JSON and prose, whatever the case or spelling', () => {
    const cases = [
      'wss://pbx.example.com/ws?access_token=abc.def.ghi&x=1',
      'POST body username=agent4&password=switchboard&remember=1',
      '{"username":"agent4","password":"switch\\"board"}',
      "{ sipPassword: 'test1003' }",
      'config loaded: Password: hunter22, retry 3',
      'client_secret=s3cr3t-value code_verifier=verifier-value',
      'Cookie: sid=abcdef; Set-Cookie: x=1',
    ];
    const out = cases.map((c) => redactText(c));
    for (const [i, secret] of ['abc.def.ghi', 'switchboard', 'switch\\"board', 'test1003', 'hunter22', 's3cr3t-value', 'sid=abcdef'].entries()) {
      expect(out[i], cases[i]).not.toContain(secret);
      expect(out[i]).toContain(REDACTED);
    }
    expect(out[0]).toContain('x=1');
    expect(out[1]).toContain('username=agent4');
  });

  it('scrubs literals the caller knows are secret, wherever they hide (even inside a word)', () => {
    expect(redactText('pwd is xXtest1003Xx today', ['test1003'])).toBe(`pwd is xX${REDACTED}Xx today`);
    // Very short "secrets" would redact ordinary words; they are ignored.
    expect(scrubLiterals('a b c', ['a', ''])).toBe('a b c');
  });

  it('survives hostile input: huge, binary-ish, regex-special, empty', () => {
    expect(redactText('')).toBe('');
    const weird = '(.*)+$^[\\]{}|?\u0000\u202e token=(.*)+ ';
    expect(redactText(weird)).toContain(REDACTED);
    const big = 'x'.repeat(200_000) + ' password=zz';
    const t0 = Date.now();
    expect(redactText(big)).toContain(`password=${REDACTED}`);
    // Not a speed assertion: a catastrophic-backtracking regex would hang here, not take 2 s instead of 1.
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe('redactValue', () => {
  it('blanks secret keys and reduces message bodies to their length, at any depth', () => {
    const value = {
      user: 'agent4',
      password: 'switchboard',
      session: { accessToken: jwt, refreshToken: refresh, expiresIn: 900 },
      messages: [{ id: 'm1', body: 'My card number is 4111 1111 1111 1111', author: 'customer' }],
      comment: { body: 'internal note about the customer' },
      error: { message: 'request failed: 500' },
    };
    const out = JSON.stringify(redactValue(value));
    for (const secret of ['switchboard', jwt, refresh, '4111 1111', 'internal note']) expect(out).not.toContain(secret);
    expect(out).toContain('"body":"[redacted: 37 chars]"');
    expect(out).toContain('"expiresIn":900');
    expect(out).toContain('request failed: 500');
    expect(out).toContain('"user":"agent4"');
  });

  it('handles cycles, depth and non-JSON values without throwing', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(redactValue(a)).toEqual({ name: 'a', self: '[cycle]' });
    expect(JSON.stringify(redactValue(deep))).toContain('[too deep]');
    expect(redactValue({ f: () => 1, n: null, u: undefined, token: '' })).toEqual({ f: 'function', n: null, u: undefined, token: '' });
  });
});

describe('redactSipMessage', () => {
  it('keeps SDP but removes ice-pwd and SDES keys', () => {
    const sdp = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 'a=ice-ufrag:Ab12', 'a=ice-pwd:asd88fgpdd777uzjYhagZg', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32', 'a=fingerprint:sha-256 AB:CD', ''].join('\r\n');
    const msg = `INVITE sip:1001@pbx SIP/2.0\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
    const out = redactSipMessage(msg);
    expect(out).not.toContain('asd88fgpdd777uzjYhagZg');
    expect(out).not.toContain('WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz');
    expect(out).toContain('a=ice-ufrag:Ab12');
    expect(out).toContain('a=fingerprint:sha-256 AB:CD');
  });

  it('reduces any other body (a SIP MESSAGE someone typed) to its length', () => {
    const text = 'Customer says: my PIN is 4321';
    const out = redactSipMessage(`MESSAGE sip:1001@pbx SIP/2.0\nc: text/plain\n\n${text}`);
    expect(out).not.toContain('4321');
    expect(out).toContain(`[redacted: ${text.length} chars]`);
  });

  it("keeps long dialog identifiers (Kamailio's 32-hex to-tag, long Call-IDs) an engineer follows a call by", () => {
    const msg = 'SIP/2.0 200 OK\r\nTo: <sip:1001@127.0.0.1>;tag=2f7ab1c1e0e94d7d8a3b6e1f0c2d4e5f.fcbe0000\r\nCall-ID: 3c26b9a7e1f04f2b9d8e7c6b5a4f3e2d1c0b9a8f@10.0.0.5\r\n\r\n';
    const out = redactSipMessage(msg);
    expect(out).toContain('tag=2f7ab1c1e0e94d7d8a3b6e1f0c2d4e5f.fcbe0000');
    expect(out).toContain('Call-ID: 3c26b9a7e1f04f2b9d8e7c6b5a4f3e2d1c0b9a8f@10.0.0.5');
  });

  it('redacts digest credentials in the headers of a message without a body', () => {
    const out = redactSipMessage(register);
    expect(out).not.toContain('6629fae49393a05397450978507c4ef1');
    expect(out.endsWith('\r\n\r\n')).toBe(true);
  });
});
