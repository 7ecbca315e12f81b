// The one door to @kubernetes/client-node. Imported lazily and bundled as its own chunk: loading it
// costs more than everything else at start-up, and --help or a usage error need none of it.
export { KubeConfig } from "@kubernetes/client-node/dist/config.js";
