// Time, as the engine sees it (src/util/clock.ts: the transport waits on the same clock).
export { type Clock, COARSE_MS, systemClock } from "../util/clock.ts";
