// npm run readme: rewrites the flag table in README.md from the flag definitions.
import { readFileSync, writeFileSync } from "node:fs";
import { replaceFlagsSection } from "../src/cli/flags-table.ts";

const path = new URL("../README.md", import.meta.url);
writeFileSync(path, replaceFlagsSection(readFileSync(path, "utf8")));
