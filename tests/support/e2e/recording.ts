import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * What the customer (baresip) actually heard: its sndfile module writes each call's decoded audio to
 * `dump-<time>-dec.wav` with the header's length left 0 while the call runs, so the data chunk is read
 * to the end of the file as it grows.
 */

/** The newest recording baresip made of what it received. */
export function newestRecording(dumpDir: string): string {
  const files = readdirSync(dumpDir).filter((f) => f.endsWith('-dec.wav'));
  const newest = files.map((f) => path.join(dumpDir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`no -dec.wav in ${dumpDir}`);
  return newest;
}

/** Samples (16-bit mono) written so far; the header is skipped, the file still grows. */
export function wavSamples(file: string): { rate: number; samples: Int16Array } {
  const buf = readFileSync(file);
  const rate = buf.readUInt32LE(24);
  let off = 12;
  while (off + 8 <= buf.length && buf.toString('ascii', off, off + 4) !== 'data') off += 8 + buf.readUInt32LE(off + 4);
  const start = off + 8;
  const n = Math.floor((buf.length - start) / 2);
  return { rate, samples: new Int16Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + n * 2)) };
}

/** The sample range [from, to) covering the last `seconds`, skipping the newest 0.3 s still in buffers. */
export function lastSeconds(rate: number, length: number, seconds: number): { from: number; to: number } {
  const to = Math.max(0, length - Math.round(0.3 * rate));
  return { from: Math.max(0, to - Math.round(seconds * rate)), to };
}

/** Goertzel: the amplitude (0..1 of full scale) of `hz` in samples[from, to). */
export function goertzel(samples: Int16Array, rate: number, hz: number, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) return 0;
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = from; i < to; i++) {
    const s = samples[i]! / 32768 + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return (2 * Math.sqrt(Math.max(power, 0))) / n;
}

/** The loudest sample (0..1 of full scale) in samples[from, to): is anything there at all. */
export function peak(samples: Int16Array, from: number, to: number): number {
  let max = 0;
  for (let i = from; i < to; i++) max = Math.max(max, Math.abs(samples[i]!));
  return max / 32768;
}
