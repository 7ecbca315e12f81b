// The long soak: the same scenario as test/e2e/soak.test.ts, run longer and harder.
// Run: node bench/soak.ts [seconds] [containers] [linesPerSecond] [streamFaults]
import { runSoak } from "../test/e2e/soak-scenario.ts";

const [seconds = 60, containers = 20, rate = 500, streamFaults = 1000] = process.argv.slice(2).map(Number);
const r = await runSoak({ containers, rate, seconds, streamFaults, serverRestarts: 4, watchExpiries: 3 });
console.log("| measure | value |\n|---|---|");
console.log(`| containers x lines/s x seconds | ${containers} x ${rate} x ${seconds} |`);
console.log(
  `| faults | ${streamFaults} stream cuts/ends (${r.streamsHit} hit an open stream), 4 server restarts, 3 watch expiries |`,
);
console.log(
  `| lines expected / printed | ${r.linesExpected.toLocaleString("en")} / ${r.linesPrinted.toLocaleString("en")} |`,
);
console.log(`| missing / duplicated / out of order | ${r.missing} / ${r.duplicated} / ${r.outOfOrder} |`);
console.log(`| log requests | ${r.logRequests} |`);
console.log(`| errors on stderr | ${r.stderrErrors.length} |`);
console.log(`| wall time | ${r.wallSeconds.toFixed(1)} s |`);
process.exit(r.missing + r.duplicated + r.outOfOrder === 0 ? 0 : 1);
