import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Invitation, Session, Web } from 'sip.js';
import { createAnswerAhead, type AnswerAheadHandler } from './answerAhead';

// Node has no WebRTC: a recording stand-in for the few RTCPeerConnection / MediaStream members sip.js's
// SessionDescriptionHandler touches, enough to see which steps answer-ahead takes and when.
class FakeTrack {
  stopped = false;
  constructor(readonly kind: 'audio' | 'video' = 'audio') {}
  stop(): void {
    this.stopped = true;
  }
}
class FakeStream {
  private tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks = [...tracks];
  }
  getTracks = () => [...this.tracks];
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
  addTrack = (t: FakeTrack) => void this.tracks.push(t);
  removeTrack = (t: FakeTrack) => void (this.tracks = this.tracks.filter((x) => x !== t));
  dispatchEvent = () => true;
}
const pcs: FakePc[] = [];
class FakePc {
  signalingState = 'stable';
  remote: string[] = [];
  senders: Array<{ track: FakeTrack | null; replaceTrack(t: FakeTrack): Promise<void> }> = [];
  closed = false;
  constructor() {
    pcs.push(this);
  }
  getSenders = () => this.senders;
  getReceivers = () => [];
  addTrack = (track: FakeTrack) => {
    const sender = { track: track as FakeTrack | null, replaceTrack: async (t: FakeTrack) => void (sender.track = t) };
    this.senders.push(sender);
    return sender;
  };
  setRemoteDescription = async (d: { sdp: string; type: string }) => {
    this.remote.push(d.type);
    this.signalingState = 'have-remote-offer';
  };
  close = () => void (this.closed = true);
}

const logger = { debug() {}, log() {}, warn() {}, error() {} };
const session = (id: string) => ({ id, userAgent: { getLogger: () => logger } }) as unknown as Session;
const invitation = (id: string, body: string | undefined, type = 'application/sdp') =>
  ({ ...session(id), body, request: { getHeader: (h: string) => (h === 'content-type' && body ? type : undefined) } }) as unknown as Invitation;
const OFFER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const media: Web.SessionDescriptionHandlerOptions = { constraints: { audio: true, video: false } };

describe('answer-ahead', () => {
  let opened: FakeTrack[];
  let mic: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    pcs.length = 0;
    opened = [];
    vi.stubGlobal('RTCPeerConnection', FakePc);
    vi.stubGlobal('MediaStream', FakeStream);
    vi.stubGlobal('MediaStreamTrackEvent', class {
      constructor(readonly type: string) {}
    });
    mic = vi.fn(async () => {
      const t = new FakeTrack();
      opened.push(t);
      return new FakeStream([t]) as unknown as MediaStream;
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const setup = () => createAnswerAhead(() => mic as unknown as Web.MediaStreamFactory, () => ({ iceGatheringTimeout: 2000 }), () => undefined);

  it('applies a ringing call’s offer before Answer, and accept() then reuses it without applying it again', async () => {
    const ahead = setup();
    const inv = invitation('s1', OFFER);
    ahead.prepare(inv, media);
    await vi.waitFor(() => expect(pcs[0]?.remote).toEqual(['offer']));
    expect(mic).toHaveBeenCalledTimes(1);
    expect(pcs[0]!.senders.map((s) => s.track)).toEqual([opened[0]]);

    // What sip.js does in accept(): get the session's handler from the factory, then set the offer.
    const handler = ahead.factory(inv, {}) as AnswerAheadHandler;
    expect(handler.peerConnection).toBe(pcs[0]);
    await handler.setDescription(OFFER, media);
    expect(pcs).toHaveLength(1);
    expect(pcs[0]!.remote).toEqual(['offer']);
    expect(mic).toHaveBeenCalledTimes(1);
  });

  it('opens the microphone the agent picked while it rang and swaps it in, without a new offer/answer', async () => {
    const ahead = setup();
    const inv = invitation('s2', OFFER);
    ahead.prepare(inv, media);
    await vi.waitFor(() => expect(pcs[0]?.remote).toEqual(['offer']));
    const handler = ahead.factory(inv, {}) as AnswerAheadHandler;
    await handler.setDescription(OFFER, { constraints: { audio: { deviceId: { exact: 'headset' } }, video: false } });
    expect(mic).toHaveBeenCalledTimes(2);
    expect(pcs[0]!.senders[0]!.track).toBe(opened[1]);
    expect(opened[0]!.stopped).toBe(true);
    expect(pcs[0]!.remote).toEqual(['offer']);
  });

  it('closes the connection and the microphone of a call withdrawn while it rang', async () => {
    const ahead = setup();
    ahead.prepare(invitation('s3', OFFER), media);
    await vi.waitFor(() => expect(pcs[0]?.remote).toEqual(['offer']));
    ahead.discard('s3');
    expect(pcs[0]!.closed).toBe(true);
    expect(opened[0]!.stopped).toBe(true);
    // Nothing prepared is left: a later handler for that id is a new one.
    expect((ahead.factory(session('s3'), {}) as AnswerAheadHandler).peerConnection).toBe(pcs[1]);
  });

  it('prepares nothing for an INVITE without an offer (the offer goes in our 200 OK)', () => {
    const ahead = setup();
    ahead.prepare(invitation('s4', undefined), media);
    ahead.prepare(invitation('s5', 'not sdp', 'text/plain'), media);
    expect(pcs).toHaveLength(0);
    expect(mic).not.toHaveBeenCalled();
  });

  it('a microphone refused while ringing fails the answer with that error, not a hang', async () => {
    mic.mockRejectedValueOnce(new Error('Permission denied'));
    const ahead = setup();
    const inv = invitation('s6', OFFER);
    ahead.prepare(inv, media);
    const handler = ahead.factory(inv, {}) as AnswerAheadHandler;
    await expect(handler.setDescription(OFFER, media)).rejects.toThrow('Permission denied');
    expect(pcs[0]!.remote).toEqual([]);
  });
});
