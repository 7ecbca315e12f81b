// The long soak: the same scenario as test/e2e/soak.test.ts, run longer and harder.
// Run: node bench/soak.ts [seconds] [containers] [linesPerSecond] [streamFaults] [rotations] [blackholes] [kubeletErrors]
import { runSoak } from "../test/e2e/soak-scenario.ts";

const [
  seconds = 60,
  containers = 20,
  rate = 500,
  streamFaults = 1000,
  rotations = 200,
  blackholes = 10,
  kubeletErrors = 20,
] = process.argv.slice(2).map(Number);
const restarts = Math.max(4, Math.round(seconds / 180));
const expiries = Math.max(3, Math.round(seconds / 180));
const r = await runSoak({
  containers,
  rate,
  seconds,
  streamFaults,
  rotations,
  blackholes,
  kubeletErrors,
  serverRestarts: restarts,
  watchExpiries: expiries,
});
console.log("| measure | value |\n|---|---|");
console.log(`| containers x lines/s x seconds | ${containers} x ${rate} x ${seconds} |`);
console.log(
  `| faults | ${streamFaults} stream cuts/ends (${r.streamsHit} hit an open stream, rotations included), ${r.rotations} of ${rotations} rotations carried out, ${kubeletErrors} kubelet errors, ${blackholes} black holes, ${restarts} server restarts, ${expiries} watch expiries |`,
);
console.log(
  `| lines expected / printed | ${r.linesExpected.toLocaleString("en")} / ${r.linesPrinted.toLocaleString("en")} |`,
);
console.log(`| missing / duplicated / out of order | ${r.missing} / ${r.duplicated} / ${r.outOfOrder} |`);
console.log(`| log requests | ${r.logRequests} |`);
const rec = r.stallRecoverySeconds;
const pct = (p: number) => rec[Math.min(rec.length - 1, Math.floor(p * rec.length))]?.toFixed(2) ?? "-";
console.log(
  `| stalls (stall, skip, pause rotations) / resumed by stern | ${r.stalls} / ${rec.length}: seconds to the next request, median ${pct(0.5)}, p90 ${pct(0.9)}, max ${pct(1)} |`,
);
console.log(`| kubelet errors told on stderr | ${r.kubeletNotices} |`);
console.log(`| errors on stderr | ${r.stderrErrors.length} ${JSON.stringify(r.stderrErrors.slice(0, 3))} |`);
console.log(`| watch retry notices | ${r.watchNotices.length} |`);
console.log(`| wall time | ${r.wallSeconds.toFixed(1)} s |`);
for (const l of r.losses) console.log(`loss: ${l}`);
process.exit(r.missing + r.duplicated + r.outOfOrder === 0 ? 0 : 1);
