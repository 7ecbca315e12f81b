// npm run readme: rewrites the flag table in docs/flags.md from the flag definitions (README.md links it).
import { readFileSync, writeFileSync } from "node:fs";
import { replaceFlagsSection } from "../src/cli/flags-table.ts";

const path = new URL("../docs/flags.md", import.meta.url);
writeFileSync(path, replaceFlagsSection(readFileSync(path, "utf8")));
