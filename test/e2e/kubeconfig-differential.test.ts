// The real kubectl is the oracle for kubeconfig files, connection flags and environment: both it and
// bin/stern run against the same recording server with the same files, flags and environment, and
// must send the same thing (server, scheme, path, credentials, impersonation, client certificate,
// SNI, proxy, the exec plugin's KUBERNETES_EXEC_INFO) and fail alike. stern's failures must be one
// `Error:` line.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCerts, type SimCerts } from "../../sim/certs.ts";
import {
  execInfoPath,
  inClusterPossible,
  KUBECTL,
  type Observation,
  observe,
  type Run,
} from "../oracle/clients.ts";
import { IN_CLUSTER, SCENARIOS } from "../oracle/kubeconfig-scenarios.ts";
import { Recorder } from "../oracle/recorder.ts";
import { ALT_NAME, CLIENTS, Ctx, PROXIED_HOST, type Scenario } from "../oracle/scenario-kit.ts";

const haveKubectl = existsSync(KUBECTL);
const ci = process.env.CI === "true";
if (!haveKubectl && !ci) console.warn(`kubeconfig differential test skipped: ${KUBECTL} not found`);
const withInCluster = inClusterPossible();
if (!withInCluster) console.warn("in-cluster scenarios skipped: no mount namespace can be made here");

const scenarios = [...SCENARIOS, ...(withInCluster ? IN_CLUSTER : [])];
const POOL = 4;

interface Outcome {
  kubectl: { run: Run; seen: Observation; ms: number };
  stern: { run: Run; seen: Observation; ms: number };
}

const root = mkdtempSync(join(tmpdir(), "stern-kcfg-diff-"));
const outcomes = new Map<string, Outcome>();

async function play(sc: Scenario, i: number, certs: SimCerts, otherCa: string): Promise<Outcome> {
  const dir = join(root, String(i));
  const rec = new Recorder({ certs, pods: ["web"] });
  await rec.start();
  try {
    const c = new Ctx(dir, rec, certs, otherCa, execInfoPath(dir));
    const setup = sc.setup(c);
    if (setup.slowMs) rec.slowAll(setup.slowMs);
    const env: Record<string, string> = { HOME: c.home, PATH: "/usr/bin:/bin" };
    if (setup.config !== undefined) env.KUBECONFIG = c.write("config", setup.config);
    Object.assign(env, setup.env ?? {});
    let serviceAccount: string | undefined;
    if (setup.serviceAccount) {
      const sa = setup.serviceAccount;
      serviceAccount = join(dir, "serviceaccount");
      if (sa.token !== undefined) c.write("serviceaccount/token", sa.token);
      if (sa.namespace !== undefined) c.write("serviceaccount/namespace", sa.namespace);
      if (sa.ca) c.write("serviceaccount/ca.crt", certs.caPem);
      c.write("serviceaccount/.keep", "");
    }
    const inv = { args: setup.args ?? [], env, cwd: c.cwd, execInfoFile: c.execInfoFile, serviceAccount };
    const timed = async (client: "kubectl" | "stern") => {
      const t0 = performance.now();
      const r = await observe(client, rec, inv);
      return { ...r, ms: Math.round(performance.now() - t0) };
    };
    const kubectl = await timed("kubectl");
    const stern = await timed("stern");
    return { kubectl, stern };
  } finally {
    await rec.stop();
  }
}

const agrees = (o: Outcome) => JSON.stringify(o.kubectl.seen) === JSON.stringify(o.stern.seen);

/**
 * kubectl alone prompts for a username and password when the user has no credentials (stern, built on
 * client-go's non-interactive loader, never does): stern must then send what kubectl sent before it
 * asked, anonymously.
 */
function checkPrompted(o: Outcome): void {
  expect(o.stern.seen.failed, o.stern.run.stderr).toBe(false);
  expect(o.stern.seen.request).toMatch(/^https:\/\/\S+ auth=- cert=- /);
  if (o.kubectl.seen.identities.length > 0)
    expect(o.stern.seen.identities).toEqual(o.kubectl.seen.identities);
}

describe.runIf(haveKubectl || ci)("kubeconfig, flags and environment: stern against kubectl", () => {
  beforeAll(async () => {
    const [certs, other] = await Promise.all([
      generateCerts("stern", { serverDnsNames: [PROXIED_HOST, ALT_NAME], moreClients: [...CLIENTS] }),
      generateCerts("other"),
    ]);
    let next = 0;
    const worker = async () => {
      while (next < scenarios.length) {
        const i = next++;
        const sc = scenarios[i] as Scenario;
        outcomes.set(sc.name, await play(sc, i, certs, other.caPem));
      }
    };
    await Promise.all(Array.from({ length: POOL }, worker));
    const plain = scenarios.filter((sc) => !sc.deliberate && !outcomes.get(sc.name)?.kubectl.seen.prompted);
    const same = plain.filter((sc) => agrees(outcomes.get(sc.name) as Outcome)).length;
    const summary = `kubeconfig differential: ${same}/${plain.length} scenarios agree with kubectl (${scenarios.length - plain.length} deliberate differences, kubectl's prompts included)`;
    console.log(summary);
    if (process.env.KCFG_DIFF_REPORT) {
      writeFileSync(
        process.env.KCFG_DIFF_REPORT,
        JSON.stringify(
          scenarios.map((sc) => ({ name: sc.name, ...outcomes.get(sc.name) })),
          null,
          1,
        ),
      );
    }
  }, 240_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("has at least 100 scenarios", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(100);
  });

  it.each(scenarios.map((sc) => [sc.name, sc] as const))("%s", (_name, sc) => {
    const o = outcomes.get(sc.name);
    if (!o) throw new Error("scenario did not run");
    const detail = `kubectl (${o.kubectl.run.code}): ${o.kubectl.run.stderr.trim()}\nstern (${o.stern.run.code}): ${o.stern.run.stderr.trim()}`;
    if (sc.deliberate) sc.deliberate.check(o.kubectl.seen, o.stern.seen);
    else if (o.kubectl.seen.prompted) checkPrompted(o);
    else expect(o.stern.seen, detail).toEqual(o.kubectl.seen);
    if (o.stern.seen.failed) {
      const errLines = o.stern.run.stderr.split("\n").filter((l) => l !== "");
      expect(errLines, o.stern.run.stderr).toHaveLength(1);
      expect(errLines[0]).toMatch(/^Error: /);
      expect(o.stern.run.code).toBe(1);
    }
  });
});
