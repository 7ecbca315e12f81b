// Resting a socket after a small read. At one log line per frame (or per TCP segment), a read and a
// wakeup per line is most of what a line costs; a rest of a couple of milliseconds lets what the
// server sends meanwhile come in one read. Busy streams (large reads) never rest; a line that comes
// alone is delayed by the rest at most. STERN_PACE_MS=0 turns it off.

/** A read (or a turn of reads) smaller than this is followed by a rest. */
export const PACE_BELOW = 16 << 10;

/** How long the socket rests, in ms. */
export const PACE_MS = ((): number => {
  const v = Number(process.env.STERN_PACE_MS ?? 2);
  return Number.isFinite(v) && v >= 0 ? v : 2;
})();
