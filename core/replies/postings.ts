/**
 * Posting lists for the reply search, stored flat: one Int32Array of reply numbers and one Uint8Array of
 * field bits for all keys, with offsets per key (the compressed-sparse-row layout). A library of 10k
 * Chinese replies has a few hundred thousand character pairs; one small array pair per key made the
 * garbage collector the slowest part of building the index.
 */
export type PostingTable = {
  /** Key k's postings are entries[offsets[k]] up to entries[offsets[k + 1]]. */
  readonly offsets: Int32Array;
  readonly entries: Int32Array;
  readonly bits: Uint8Array;
};

export type PostingsCollector = {
  /** A new key id; ids are dense from 0. */
  newKey(): number;
  /** Records that `entry` has the key in the fields `bit`. Entries must arrive in ascending order. */
  add(key: number, entry: number, bit: number): void;
  freeze(): PostingTable;
};

export function createPostingsCollector(): PostingsCollector {
  let keys = 0;
  // Plain arrays of small integers stay packed and fast to push.
  const keyOf: number[] = [];
  const entryOf: number[] = [];
  const bitsOf: number[] = [];
  const lastEntry: number[] = [];
  const lastSlot: number[] = [];
  return {
    newKey() {
      lastEntry.push(-1);
      lastSlot.push(-1);
      return keys++;
    },
    add(key, entry, bit) {
      if (lastEntry[key] === entry) {
        const slot = lastSlot[key]!;
        bitsOf[slot] = bitsOf[slot]! | bit;
        return;
      }
      lastEntry[key] = entry;
      lastSlot[key] = keyOf.length;
      keyOf.push(key);
      entryOf.push(entry);
      bitsOf.push(bit);
    },
    freeze() {
      const offsets = new Int32Array(keys + 1);
      for (const key of keyOf) offsets[key + 1]! += 1;
      for (let k = 0; k < keys; k++) offsets[k + 1]! += offsets[k]!;
      const fill = offsets.slice(0, keys);
      const entries = new Int32Array(keyOf.length);
      const bits = new Uint8Array(keyOf.length);
      // A stable counting sort by key: each key's entries stay in the ascending order they arrived in.
      for (let i = 0; i < keyOf.length; i++) {
        const slot = fill[keyOf[i]!]!++;
        entries[slot] = entryOf[i]!;
        bits[slot] = bitsOf[i]!;
      }
      return { offsets, entries, bits };
    },
  };
}

/** How many entries a key has (to pick the rarest of several). */
export const postingCount = (table: PostingTable, key: number): number => table.offsets[key + 1]! - table.offsets[key]!;
