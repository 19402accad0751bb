import { describe, expect, it } from 'vitest';
import { parseReplaces, replacesDialog, replacesTarget } from './sipRequests';

describe('Replaces (attended transfer)', () => {
  const consult = { callId: 'abc@host', localTag: 'ours', remoteTag: 'theirs' };

  it('builds a name-addr Refer-To on the AOR with an escaped Replaces header', () => {
    expect(replacesTarget('sip:1004@example.com', consult)?.toString()).toBe('<sip:1004@example.com?Replaces=abc%40host%3Bto-tag%3Dtheirs%3Bfrom-tag%3Dours>');
  });

  it('matches the Replaces the target receives against its own view of the same dialog', () => {
    // The target sees the dialog mirrored: its local tag is the transferor's remote tag.
    const header = decodeURIComponent('abc%40host%3Bto-tag%3Dtheirs%3Bfrom-tag%3Dours');
    const r = parseReplaces(header)!;
    expect(replacesDialog(r, { callId: 'abc@host', localTag: 'theirs', remoteTag: 'ours' })).toBe(true);
    expect(replacesDialog(r, { callId: 'abc@host', localTag: 'ours', remoteTag: 'theirs' })).toBe(false);
  });

  it('ignores a malformed Replaces instead of matching a random call', () => {
    expect(parseReplaces('abc@host;to-tag=x')).toBeUndefined();
    expect(parseReplaces('')).toBeUndefined();
  });
});
