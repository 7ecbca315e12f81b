// The layers of src/ and the one way their imports go, bottom to top:
//
//   shared  <-  util  <-  kube, structured, template  <-  engine, format, view  <-  tui  <-  cli
//
// Checked by `npm run lint:layers` (scripts/layers.ts), which `npm test` runs.

/** Each folder of src/, the folders it may import besides itself, and why. */
const LAYERS = {
  shared: { uses: [], why: "the types every layer uses sit below everything" },
  util: { uses: ["shared"], why: "helpers know nothing of Kubernetes, logs or templates" },
  kube: { uses: ["util", "shared"], why: "the API client knows the wire, not what is done with pods" },
  structured: { uses: ["util", "shared"], why: "log records are parsed, not shown" },
  template: { uses: ["util", "shared"], why: "Go's text/template knows nothing of logs or streams" },
  engine: {
    uses: ["kube", "structured", "util", "shared"],
    why: "the engine streams and decides; how things look (format, template) and the command line are above it, reached through the Presenter and LineFormatter it declares",
  },
  format: {
    uses: ["structured", "template", "util", "shared"],
    why: "output is made from data alone: no engine, no API client, no command line",
  },
  view: {
    uses: ["structured", "util", "shared"],
    why: "the interactive view's model knows lines, sources and filters, not terminals nor the engine",
  },
  tui: {
    uses: ["view", "format", "structured", "util", "shared"],
    why: "the terminal front end draws the view's model; the engine reaches it through the cli",
  },
  cli: {
    uses: ["engine", "format", "kube", "structured", "template", "view", "tui", "util", "shared"],
    why: "the command builds and wires the rest",
  },
};

/** One rule per folder: an import of any folder of ours outside its list. */
const layerRules = Object.entries(LAYERS).map(([folder, { uses, why }]) => ({
  name: `${folder}-layer`,
  comment: `src/${folder} may import ${uses.length > 0 ? `only ${uses.join(", ")}` : "nothing of ours"}: ${why}.`,
  severity: "error",
  from: { path: `^src/${folder}/` },
  to: { path: "^src/", pathNot: `^src/(${[folder, ...uses].join("|")})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-unknown-folder",
      comment: "A new folder of src/ gets its place in LAYERS before anything imports it.",
      severity: "error",
      from: {},
      to: { path: "^src/", pathNot: `^src/(${Object.keys(LAYERS).join("|")})/` },
    },
    {
      // A folder holds its subfolders: kube/h2 may use kube, but kube/h1 and kube/h2 not each other.
      name: "no-folder-cycle",
      comment: "No two folders import each other, directly or round about.",
      severity: "error",
      scope: "folder",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "no-sim-in-src",
      comment: "The shipped code never imports the simulator, the tests, the benchmarks or the scripts.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(sim|test|bench|scripts)/" },
    },
  ],
  options: {
    // `import type` counts: a layer may not even name a type from above it.
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
  },
};
