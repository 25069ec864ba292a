// Deterministic frame contents shared by every publisher and subscriber in the suite (Node, the
// Chromium page and the checks on the Java CLI's output), so a receiver can verify each frame byte for
// byte without the publisher shipping its copy around.

// Sizes cycle through tiny, MTU-ish, multi-packet and larger-than-a-flow-control-window frames.
const SIZES = [1, 37, 1200, 1500, 4096, 16384, 65537, 300000];

function hash32(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || 1;
}

/**
 * The bytes of frame `index` of group `sequence` of the stream named `tag`.
 * `maxSize` caps the size (tests with many subscribers keep frames small).
 */
export function frameBytes(tag, sequence, index, maxSize = Infinity) {
  const size = Math.min(SIZES[(sequence * 3 + index) % SIZES.length], maxSize);
  const out = new Uint8Array(size);
  let x = hash32(`${tag}/${sequence}/${index}`);
  for (let i = 0; i < size; i++) {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The frames of one group. */
export function groupFrames(tag, sequence, count, maxSize = Infinity) {
  const frames = [];
  for (let i = 0; i < count; i++) frames.push(frameBytes(tag, sequence, i, maxSize));
  return frames;
}

export function toHex(bytes) {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks a received group against the expected frames; returns null when identical, else a description
 * of the first difference (index, lengths, first differing offset).
 */
export function diffGroup(tag, sequence, received, count, maxSize = Infinity) {
  if (received.length !== count) {
    return `group ${sequence}: received ${received.length} frames, expected ${count}`;
  }
  for (let i = 0; i < count; i++) {
    const want = frameBytes(tag, sequence, i, maxSize);
    const got = received[i];
    if (got.length !== want.length) {
      return `group ${sequence} frame ${i}: received ${got.length} bytes, expected ${want.length}`;
    }
    for (let j = 0; j < want.length; j++) {
      if (got[j] !== want[j]) {
        return `group ${sequence} frame ${i}: first difference at byte ${j} (got ${got[j]}, want ${want[j]})`;
      }
    }
  }
  return null;
}
