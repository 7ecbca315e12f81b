// Time, as the engine sees it (src/util/clock.ts: the transport waits on the same clock).
export { after, type Clock, COARSE_MS, systemClock, type Timer } from "../util/clock.ts";
