import { describe, expect, test } from 'vitest';
import { AttachmentFetchError, createAttachmentClient } from './attachmentClient';

const conversationId = '11111111-1111-4111-8111-111111111111';
const messageId = '22222222-2222-4222-8222-222222222222';

describe('attachment client', () => {
  test('send posts the file as base64 with the message id to the conversation, and returns the server message', async () => {
    const posted: { path: string; body: unknown }[] = [];
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    const client = createAttachmentClient({
      baseUrl: 'http://127.0.0.1:1',
      accessToken: () => 'tok',
      postJson: async (path, body) => {
        posted.push({ path, body });
        return {
          id: messageId, conversationId, seq: 3, author: 'agent', authorId: 'u1', authorName: 'Anna', kind: 'attachment', body: 'a.png',
          attachment: { id: messageId, name: 'a.png', mime: 'image/png', size: bytes.length, url: `/widget/attachments/${messageId}` },
          eventCode: null, createdAt: 1, readAt: null,
        };
      },
    });
    const message = await client.send(conversationId, { id: messageId, name: 'a.png', mime: 'image/png', blob: new Blob([bytes]) });
    expect(message.attachment?.size).toBe(bytes.length);
    expect(posted[0]!.path).toBe(`/chat/conversations/${conversationId}/attachments`);
    const body = posted[0]!.body as { id: string; dataBase64: string };
    expect(body.id).toBe(messageId);
    expect(Buffer.from(body.dataBase64, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  test('fetchFile sends the access token as a Bearer header and refuses a failed answer with its status', async () => {
    const seen: { url: string; auth: string | undefined }[] = [];
    let status = 200;
    const client = createAttachmentClient({
      baseUrl: 'http://127.0.0.1:1/',
      accessToken: () => 'tok',
      postJson: async () => null,
      fetch: async (input, init) => {
        seen.push({ url: String(input), auth: (init?.headers as Record<string, string>).authorization });
        return new Response(status === 200 ? 'png' : null, { status, headers: { 'content-type': 'image/png' } });
      },
    });
    expect((await client.fetchFile(messageId)).type).toBe('image/png');
    expect(seen[0]).toEqual({ url: `http://127.0.0.1:1/chat/attachments/${messageId}`, auth: 'Bearer tok' });
    status = 404;
    await expect(client.fetchFile(messageId)).rejects.toBeInstanceOf(AttachmentFetchError);
  });
});
