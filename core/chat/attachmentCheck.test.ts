import { describe, expect, test } from 'vitest';
import { chatLimits } from '../wire/chat';
import { checkAttachment, isImageMime } from './attachmentCheck';

describe('checkAttachment', () => {
  test('an allowed type within the limit passes, with its mime', () => {
    expect(checkAttachment({ type: 'image/png', size: 10 })).toEqual({ ok: true, mime: 'image/png' });
    expect(checkAttachment({ type: 'application/pdf', size: chatLimits.attachmentBytes })).toEqual({ ok: true, mime: 'application/pdf' });
  });

  test('types the server refuses are refused here first (svg, html, executables, unknown)', () => {
    for (const type of ['image/svg+xml', 'text/html', 'application/x-msdownload', '']) {
      expect(checkAttachment({ type, size: 10 }), type).toEqual({ ok: false, problem: 'type' });
    }
  });

  test('one byte over the limit, or an empty file, is refused', () => {
    expect(checkAttachment({ type: 'image/jpeg', size: chatLimits.attachmentBytes + 1 })).toEqual({ ok: false, problem: 'size' });
    expect(checkAttachment({ type: 'text/plain', size: 0 })).toEqual({ ok: false, problem: 'empty' });
  });

  test('only images get a thumbnail', () => {
    expect(isImageMime('image/webp')).toBe(true);
    expect(isImageMime('application/pdf')).toBe(false);
  });
});
