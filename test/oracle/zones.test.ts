// Go is the reference for which zone names load (stern's --timezone and toTimestamp read the system's
// zoneinfo files): test/oracle/zones/main.go runs time.LoadLocation on the same names, with a
// $ZONEINFO folder of a zone file, a folder and a file that is not one.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goZoneError } from "../../src/util/zoneinfo.ts";
import { runOracle } from "./go.ts";

const SYSTEM = "/usr/share/zoneinfo";

describe.skipIf(!existsSync(`${SYSTEM}/Asia/Tokyo`))("zone names, against Go's time.LoadLocation", () => {
  const dir = mkdtempSync(join(tmpdir(), "stern-zones-"));
  mkdirSync(join(dir, "Test"));
  copyFileSync(`${SYSTEM}/Asia/Tokyo`, join(dir, "Test", "Tokyo"));
  writeFileSync(join(dir, "Test", "notes.txt"), "not a zone\n");
  mkdirSync(join(dir, "Test", "Folder"));
  const names = [
    "Asia/Tokyo",
    "America/New_York",
    "Etc/GMT+3",
    "US/Eastern",
    "utc",
    "asia/tokyo",
    "America",
    "America/",
    "Asia/Tokyo/x",
    "zone.tab",
    "Nowhere/City",
    "../UTC",
    "a..b",
    "/UTC",
    "\\UTC",
    "x\0y",
    "Test/Tokyo",
    "Test/notes.txt",
    "Test/Folder",
    "Test/Missing",
    "UTC",
    "Local",
    "",
  ];
  const go = runOracle<string[]>("zones", { zoneinfo: dir, names });

  it(`loads or refuses ${names.length} names as Go does, with Go's error`, () => {
    const mine = names.map((n) => goZoneError(n, { ZONEINFO: dir }) ?? "");
    expect(mine).toEqual(go);
    expect(go.filter((e) => e === "").length).toBeGreaterThan(5);
  });
});
