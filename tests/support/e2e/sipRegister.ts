import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

/**
 * One SIP REGISTER over UDP with digest authentication (RFC 3261 §22, RFC 2617), the way a desk phone
 * would try a password: the final status says whether the registrar took the credentials (200) or
 * refused them (401/403 after the authenticated retry). Expires 0 on a contact of its own, so a check
 * leaves no binding behind and no other phone of the extension is touched.
 */
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export async function registerStatus(o: { port: number; user: string; password: string; domain?: string; timeoutMs?: number; expires?: number }): Promise<number> {
  const domain = o.domain ?? '127.0.0.1';
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const local = socket.address().port;
  const callId = randomBytes(8).toString('hex');
  const tag = randomBytes(4).toString('hex');
  const uri = `sip:${domain}`;
  const request = (cseq: number, auth?: string) =>
    [
      `REGISTER ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:${o.user}@${domain}>;tag=${tag}`,
      `To: <sip:${o.user}@${domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${o.user}@127.0.0.1:${local};transport=udp>;expires=${o.expires ?? 0}`,
      ...(auth ? [`Authorization: ${auth}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SIP answer')), o.timeoutMs ?? 5000);
      const on = (msg: Buffer) => {
        const text = msg.toString();
        // Provisional answers (100 Trying) are not the outcome.
        if (/^SIP\/2\.0 1\d\d/.test(text)) return;
        clearTimeout(timer);
        socket.off('message', on);
        resolve(text);
      };
      socket.on('message', on);
    });
  const send = (text: string) => new Promise<void>((r) => socket.send(text, o.port, '127.0.0.1', () => r()));
  const status = (text: string) => Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
  try {
    let answer = next();
    await send(request(1));
    let text = await answer;
    if (status(text) !== 401) return status(text);
    const challenge = /WWW-Authenticate: Digest (.*)/i.exec(text)?.[1] ?? '';
    const param = (name: string) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1] ?? '';
    const realm = param('realm');
    const nonce = param('nonce');
    const qop = param('qop') ? 'auth' : '';
    const cnonce = randomBytes(8).toString('hex');
    const ha1 = md5(`${o.user}:${realm}:${o.password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const auth = `Digest username="${o.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qop ? `, qop=${qop}, nc=00000001, cnonce="${cnonce}"` : ''}`;
    answer = next();
    await send(request(2, auth));
    text = await answer;
    return status(text);
  } finally {
    socket.close();
  }
}
