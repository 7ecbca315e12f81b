// The kubeconfig scenarios: every field of the format, every connection flag, the environment. What
// is right for each is whatever kubectl does with it at test time; nothing here says what to expect,
// except the few differences kept on purpose (`deliberate`), which say what each client must do.
import { expect } from "vitest";
import { ALT_NAME, type Ctx, exec, kc, type Obj, PROXIED_HOST, type Scenario } from "./scenario-kit.ts";

const s = (name: string, setup: Scenario["setup"], more: Partial<Scenario> = {}): Scenario => ({
  name,
  setup,
  ...more,
});

/** A second kubeconfig file with its own cluster, user and context names (and the same names too). */
const second = (c: Ctx, o: { current?: string; namespace?: string; token?: string } = {}): Obj => ({
  clusters: [
    { name: "c", cluster: { server: c.alt, "certificate-authority-data": c.caData } },
    { name: "c2", cluster: { server: c.alt, "certificate-authority-data": c.caData } },
  ],
  users: [
    { name: "u", user: { token: o.token ?? "tok-second" } },
    { name: "u2", user: { token: "tok-u2" } },
  ],
  contexts: [
    { name: "x", context: { cluster: "c", user: "u", namespace: "ns-second" } },
    { name: "y", context: { cluster: "c2", user: "u2", namespace: o.namespace ?? "ns-y" } },
  ],
  ...(o.current ? { "current-context": o.current } : {}),
});

const clusters: Scenario[] = [
  s("token over https with certificate-authority-data", (c) => ({ config: kc(c) })),
  s("server with a trailing slash", (c) => ({ config: kc(c, { cluster: { server: `${c.https}/` } }) })),
  s("server with a path", (c) => ({ config: kc(c, { cluster: { server: `${c.https}/prefix` } }) })),
  s("server without a scheme, with a CA", (c) => ({ config: kc(c, { cluster: { server: c.hostPort } }) })),
  s("server without a scheme, no TLS settings", (c) => ({
    config: kc(c, { cluster: { server: c.hostPort, "certificate-authority-data": undefined } }),
  })),
  s("server without a scheme, insecure", (c) => ({
    config: kc(c, {
      cluster: {
        server: c.hostPort,
        "certificate-authority-data": undefined,
        "insecure-skip-tls-verify": true,
      },
    }),
  })),
  s("http server with a token", (c) => ({
    config: kc(c, { cluster: { server: c.http, "certificate-authority-data": undefined } }),
  })),
  s("http server with basic auth", (c) => ({
    config: kc(c, {
      cluster: { server: c.http, "certificate-authority-data": undefined },
      user: { token: undefined, username: "ann", password: "secret" },
    }),
  })),
  s("http server with a client certificate", (c) => ({
    config: kc(c, {
      cluster: { server: c.http, "certificate-authority-data": undefined },
      user: {
        token: undefined,
        "client-certificate-data": c.cert("alice").certData,
        "client-key-data": c.cert("alice").keyData,
      },
    }),
  })),
  s("http server with a CA", (c) => ({ config: kc(c, { cluster: { server: c.http } }) })),
  s("http server, insecure-skip-tls-verify", (c) => ({
    config: kc(c, {
      cluster: { server: c.http, "certificate-authority-data": undefined, "insecure-skip-tls-verify": true },
    }),
  })),
  s("http server with as, as-groups and as-user-extra", (c) => ({
    config: kc(c, {
      cluster: { server: c.http, "certificate-authority-data": undefined },
      user: { as: "jane", "as-groups": ["dev"], "as-user-extra": { scopes: ["view"] } },
    }),
  })),
  s("http server with an exec user", (c) => ({
    config: kc(c, { cluster: { server: c.http }, user: { token: undefined, ...exec(c.plugin()) } }),
  })),
  s("http server with an exec user that would fail", (c) => ({
    config: kc(c, {
      cluster: { server: c.http },
      user: { token: undefined, ...exec(c.plugin({ fail: "no" })) },
    }),
  })),
  s("http server with a CA and insecure-skip-tls-verify", (c) => ({
    config: kc(c, { cluster: { server: c.http, "insecure-skip-tls-verify": true } }),
  })),
  s("localhost server name", (c) => ({
    config: kc(c, { cluster: { server: `https://localhost:${c.port}` } }),
  })),
  s("certificate-authority file, absolute", (c) => ({
    config: kc(c, {
      cluster: { "certificate-authority-data": undefined, "certificate-authority": c.caFile },
    }),
  })),
  s("certificate-authority file, relative to the kubeconfig", (c) => {
    c.caFile;
    return {
      config: kc(c, {
        cluster: { "certificate-authority-data": undefined, "certificate-authority": "pki/ca.crt" },
      }),
    };
  }),
  s("certificate-authority and certificate-authority-data together", (c) => ({
    config: kc(c, { cluster: { "certificate-authority": c.caFile } }),
  })),
  s("certificate-authority file missing", (c) => ({
    config: kc(c, {
      cluster: { "certificate-authority-data": undefined, "certificate-authority": `${c.dir}/none.crt` },
    }),
  })),
  s("certificate-authority-data not base64", (c) => ({
    config: kc(c, { cluster: { "certificate-authority-data": "%%%" } }),
  })),
  s("certificate-authority-data of another CA", (c) => ({
    config: kc(c, { cluster: { "certificate-authority-data": c.otherCaData } }),
  })),
  s("no CA at all (system roots)", (c) => ({
    config: kc(c, { cluster: { "certificate-authority-data": undefined } }),
  })),
  s("insecure-skip-tls-verify without a CA", (c) => ({
    config: kc(c, { cluster: { "certificate-authority-data": undefined, "insecure-skip-tls-verify": true } }),
  })),
  s("insecure-skip-tls-verify with certificate-authority-data", (c) => ({
    config: kc(c, { cluster: { "insecure-skip-tls-verify": true } }),
  })),
  s("insecure-skip-tls-verify with a certificate-authority file", (c) => ({
    config: kc(c, {
      cluster: {
        "certificate-authority-data": undefined,
        "certificate-authority": c.caFile,
        "insecure-skip-tls-verify": true,
      },
    }),
  })),
  s("insecure-skip-tls-verify false with a CA", (c) => ({
    config: kc(c, { cluster: { "insecure-skip-tls-verify": false } }),
  })),
  s("tls-server-name in the certificate", (c) => ({
    config: kc(c, { cluster: { "tls-server-name": ALT_NAME } }),
  })),
  s("tls-server-name not in the certificate", (c) => ({
    config: kc(c, { cluster: { "tls-server-name": "elsewhere.example" } }),
  })),
  s("tls-server-name with insecure-skip-tls-verify", (c) => ({
    config: kc(c, {
      cluster: {
        "certificate-authority-data": undefined,
        "insecure-skip-tls-verify": true,
        "tls-server-name": "elsewhere.example",
      },
    }),
  })),
  s("proxy-url to an https server", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps, "proxy-url": c.proxy } }),
  })),
  s("proxy-url to a loopback https server", (c) => ({
    config: kc(c, { cluster: { "proxy-url": c.proxy } }),
  })),
  s("proxy-url to an http server", (c) => ({
    config: kc(c, {
      cluster: {
        server: `http://${PROXIED_HOST}:${c.port}`,
        "certificate-authority-data": undefined,
        "proxy-url": c.proxy,
      },
    }),
  })),
  s("proxy-url to a SOCKS5 proxy", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps, "proxy-url": c.socks } }),
  })),
  s("proxy-url to a SOCKS5 proxy, with a client certificate", (c) => ({
    config: kc(c, {
      cluster: { server: c.proxiedHttps, "proxy-url": c.socks },
      user: {
        token: undefined,
        "client-certificate-data": c.cert("alice").certData,
        "client-key-data": c.cert("alice").keyData,
      },
    }),
  })),
  s("proxy-url with an unsupported scheme", (c) => ({
    config: kc(c, { cluster: { "proxy-url": "ftp://127.0.0.1:1" } }),
  })),
  s("proxy-url wins over HTTPS_PROXY", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps, "proxy-url": c.proxy } }),
    env: { HTTPS_PROXY: "http://127.0.0.1:1" },
  })),
  s("disable-compression", (c) => ({ config: kc(c, { cluster: { "disable-compression": true } }) })),
  s("cluster extensions", (c) => ({
    config: kc(c, { cluster: { extensions: [{ name: "example.com/x", extension: { a: 1 } }] } }),
  })),
  s("an unknown field in a cluster", (c) => ({ config: kc(c, { cluster: { colour: "blue" } }) })),
  s("cluster without a server", (c) => ({ config: kc(c, { cluster: { server: undefined } }) })),
  s("server with another scheme", (c) => ({ config: kc(c, { cluster: { server: `ftp://${c.hostPort}` } }) })),
  s("server that is not a URL", (c) => ({ config: kc(c, { cluster: { server: "https://exa mple:x" } }) })),
];

const alice = (c: Ctx) => c.cert("alice");

const users: Scenario[] = [
  s("tokenFile, absolute", (c) => ({
    config: kc(c, { user: { token: undefined, tokenFile: c.write("token", "tok-file\n") } }),
  })),
  s("tokenFile, relative to the kubeconfig", (c) => {
    c.write("secrets/token", "tok-rel");
    return { config: kc(c, { user: { token: undefined, tokenFile: "secrets/token" } }) };
  }),
  s("token and tokenFile together", (c) => ({
    config: kc(c, { user: { tokenFile: c.write("token", "tok-file") } }),
  })),
  s("tokenFile missing", (c) => ({
    config: kc(c, { user: { token: undefined, tokenFile: `${c.dir}/none` } }),
  })),
  s("tokenFile empty", (c) => ({
    config: kc(c, { user: { token: undefined, tokenFile: c.write("token", "") } }),
  })),
  s("token with spaces around it", (c) => ({ config: kc(c, { user: { token: "  tok-spaced  " } }) })),
  s("no credentials at all", (c) => ({ config: kc(c, { user: { token: undefined } }) })),
  s("client-certificate-data and client-key-data", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "client-certificate-data": alice(c).certData,
        "client-key-data": alice(c).keyData,
      },
    }),
  })),
  s("client-certificate and client-key files", (c) => ({
    config: kc(c, {
      user: { token: undefined, "client-certificate": alice(c).certFile, "client-key": alice(c).keyFile },
    }),
  })),
  s("client certificate files relative to the kubeconfig", (c) => {
    alice(c);
    return {
      config: kc(c, {
        user: { token: undefined, "client-certificate": "pki/alice.crt", "client-key": "pki/alice.key" },
      }),
    };
  }),
  s("client certificate without a key", (c) => ({
    config: kc(c, { user: { token: undefined, "client-certificate-data": alice(c).certData } }),
  })),
  s("client key without a certificate", (c) => ({
    config: kc(c, { user: { token: undefined, "client-key-data": alice(c).keyData } }),
  })),
  s("client-certificate and client-certificate-data together", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "client-certificate-data": alice(c).certData,
        "client-certificate": alice(c).certFile,
        "client-key-data": alice(c).keyData,
      },
    }),
  })),
  s("client-key and client-key-data together", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "client-certificate-data": alice(c).certData,
        "client-key": alice(c).keyFile,
        "client-key-data": alice(c).keyData,
      },
    }),
  })),
  s("client certificate and key that do not match", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "client-certificate-data": alice(c).certData,
        "client-key-data": c.cert("bob").keyData,
      },
    }),
  })),
  s("client certificate and a token", (c) => ({
    config: kc(c, {
      user: { "client-certificate-data": alice(c).certData, "client-key-data": alice(c).keyData },
    }),
  })),
  s("username and password", (c) => ({
    config: kc(c, { user: { token: undefined, username: "ann", password: "secret" } }),
  })),
  s("username without a password", (c) => ({
    config: kc(c, { user: { token: undefined, username: "ann" } }),
  })),
  s("username, password and a token", (c) => ({
    config: kc(c, { user: { username: "ann", password: "secret" } }),
  })),
  s("as", (c) => ({ config: kc(c, { user: { as: "jane" } }) })),
  s("as and as-groups", (c) => ({ config: kc(c, { user: { as: "jane", "as-groups": ["dev", "ops"] } }) })),
  s("as and as-uid", (c) => ({ config: kc(c, { user: { as: "jane", "as-uid": "1234" } }) })),
  s("as and as-user-extra", (c) => ({
    config: kc(c, {
      user: { as: "jane", "as-user-extra": { scopes: ["view", "edit"], "example.com/team": ["a"] } },
    }),
  })),
  s("as-groups without as", (c) => ({ config: kc(c, { user: { "as-groups": ["dev"] } }) })),
  s("as-uid without as", (c) => ({ config: kc(c, { user: { "as-uid": "1234" } }) })),
  s("as-user-extra without as", (c) => ({
    config: kc(c, { user: { "as-user-extra": { scopes: ["view"] } } }),
  })),
  s("as with a client certificate", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        as: "jane",
        "client-certificate-data": alice(c).certData,
        "client-key-data": alice(c).keyData,
      },
    }),
  })),
  s("an unknown field in a user", (c) => ({ config: kc(c, { user: { colour: "blue" } }) })),
];

const execs: Scenario[] = [
  s("exec v1beta1", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        ...exec(c.plugin({ api: "v1beta1" }), {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          interactiveMode: undefined,
        }),
      },
    }),
  })),
  s("exec v1 with interactiveMode Never", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin()) } }),
  })),
  s("exec v1 with interactiveMode IfAvailable", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin(), { interactiveMode: "IfAvailable" }) } }),
  })),
  s("exec v1 with interactiveMode Always and no terminal", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin(), { interactiveMode: "Always" }) } }),
  })),
  s("exec v1 without interactiveMode", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin(), { interactiveMode: undefined }) } }),
  })),
  s("exec v1 with an unknown interactiveMode", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin(), { interactiveMode: "Sometimes" }) } }),
  })),
  s("exec with an unknown apiVersion", (c) => ({
    config: kc(c, {
      user: { token: undefined, ...exec(c.plugin(), { apiVersion: "client.authentication.k8s.io/v9" }) },
    }),
  })),
  s("exec without an apiVersion", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin(), { apiVersion: undefined }) } }),
  })),
  s("exec that answers another apiVersion", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin({ api: "v1beta1" })) } }),
  })),
  s("exec with args", (c) => ({
    config: kc(c, {
      user: { token: undefined, ...exec(c.plugin(), { args: ["get-token", "--cluster=prod"] }) },
    }),
  })),
  s("exec with env", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        ...exec(c.plugin(), { env: [{ name: "PLUGIN_VAR", value: "from-kubeconfig" }] }),
      },
    }),
  })),
  s("exec env over the inherited environment", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        ...exec(c.plugin(), { env: [{ name: "PLUGIN_VAR", value: "from-kubeconfig" }] }),
      },
    }),
    env: { PLUGIN_VAR: "from-shell" },
  })),
  s("exec inherits the environment", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin()) } }),
    env: { PLUGIN_VAR: "from-shell" },
  })),
  s("exec command relative to the kubeconfig (./)", (c) => {
    c.plugin({ at: "plugin.sh" });
    return { config: kc(c, { user: { token: undefined, ...exec("./plugin.sh") } }) };
  }),
  s("exec command relative to the kubeconfig (a sub-folder)", (c) => {
    c.plugin({ at: "bin/plugin.sh" });
    return { config: kc(c, { user: { token: undefined, ...exec("bin/plugin.sh") } }) };
  }),
  s("exec command found on PATH", (c) => {
    c.plugin({ at: "path-bin/kube-login" });
    return {
      config: kc(c, { user: { token: undefined, ...exec("kube-login") } }),
      env: { PATH: `${c.dir}/path-bin:/usr/bin:/bin` },
    };
  }),
  s("exec command missing, with installHint", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        ...exec(`${c.dir}/none`, { installHint: "install kube-login from example.com" }),
      },
    }),
  })),
  s("exec plugin that fails", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin({ fail: "login expired" })) } }),
  })),
  s("exec plugin that answers a client certificate", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin({ cert: "bob" })) } }),
  })),
  s("exec with provideClusterInfo", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin(), { provideClusterInfo: true }) } }),
  })),
  s("exec with provideClusterInfo and cluster settings", (c) => ({
    config: kc(c, {
      cluster: {
        "tls-server-name": ALT_NAME,
        extensions: [{ name: "client.authentication.k8s.io/exec", extension: { audience: "prod" } }],
      },
      user: { token: undefined, ...exec(c.plugin(), { provideClusterInfo: true }) },
    }),
  })),
  s("exec v1beta1 with provideClusterInfo", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        ...exec(c.plugin({ api: "v1beta1" }), {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          provideClusterInfo: true,
        }),
      },
    }),
  })),
  s("exec and a token", (c) => ({ config: kc(c, { user: exec(c.plugin()) }) })),
  s("exec and as", (c) => ({
    config: kc(c, { user: { token: undefined, as: "jane", ...exec(c.plugin()) } }),
  })),
  s("exec and an auth-provider", (c) => ({
    config: kc(c, {
      user: { token: undefined, ...exec(c.plugin()), "auth-provider": { name: "oidc", config: {} } },
    }),
  })),
  s("exec without a command", (c) => ({ config: kc(c, { user: { token: undefined, ...exec("") } }) })),
  s("auth-provider oidc with a valid id-token", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "auth-provider": {
          name: "oidc",
          config: { "id-token": jwt(), "idp-issuer-url": "https://issuer.invalid", "client-id": "k" },
        },
      },
    }),
  })),
  s("auth-provider gcp (removed from kubectl)", (c) => ({
    config: kc(c, { user: { token: undefined, "auth-provider": { name: "gcp", config: {} } } }),
  })),
  s("auth-provider of an unknown name", (c) => ({
    config: kc(c, { user: { token: undefined, "auth-provider": { name: "acme", config: {} } } }),
  })),
];

/** An OIDC id-token that expires in a day (unsigned: the client only reads its expiry). */
function jwt(): string {
  const part = (o: Obj) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none" })}.${part({ iss: "https://issuer.invalid", exp: Math.floor(Date.now() / 1000) + 86400 })}.sig`;
}

const contexts: Scenario[] = [
  s("context without a namespace", (c) => ({ config: kc(c, { context: { namespace: undefined } }) })),
  s("context with an empty namespace", (c) => ({ config: kc(c, { context: { namespace: "" } }) })),
  s("-n over the context's namespace", (c) => ({ config: kc(c), args: ["-n", "ns-flag"] })),
  s("--namespace= over the context's namespace", (c) => ({ config: kc(c), args: ["--namespace=ns-flag"] })),
  s("context naming a missing cluster", (c) => ({ config: kc(c, { context: { cluster: "ghost" } }) })),
  s("context naming a missing user", (c) => ({ config: kc(c, { context: { user: "ghost" } }) })),
  s("context without a user", (c) => ({ config: kc(c, { context: { user: undefined } }) })),
  s("context without a cluster", (c) => ({ config: kc(c, { context: { cluster: undefined } }) })),
  s("no current-context", (c) => ({ config: kc(c, { top: { "current-context": undefined } }) })),
  s("current-context naming a missing context", (c) => ({
    config: kc(c, { top: { "current-context": "ghost" } }),
  })),
  s("context extensions", (c) => ({
    config: kc(c, { context: { extensions: [{ name: "example.com/x", extension: { a: 1 } }] } }),
  })),
  s("preferences", (c) => ({ config: kc(c, { top: { preferences: { colors: true } } }) })),
  s("top-level extensions", (c) => ({
    config: kc(c, { top: { extensions: [{ name: "example.com/x", extension: { a: 1 } }] } }),
  })),
  s("the same cluster name twice in one file", (c) => {
    const k = kc(c);
    return {
      config: { ...k, clusters: [...(k.clusters as Obj[]), { name: "c", cluster: { server: c.alt } }] },
    };
  }),
  s("the same user name twice in one file", (c) => {
    const k = kc(c);
    return { config: { ...k, users: [...(k.users as Obj[]), { name: "u", user: { token: "tok-again" } }] } };
  }),
  s("the same context name twice in one file", (c) => {
    const k = kc(c);
    return {
      config: {
        ...k,
        contexts: [...(k.contexts as Obj[]), { name: "x", context: { cluster: "c", user: "u" } }],
      },
    };
  }),
  s("no apiVersion and kind", (c) => ({
    config: kc(c, { top: { apiVersion: undefined, kind: undefined } }),
  })),
  s("apiVersion v2", (c) => ({ config: kc(c, { top: { apiVersion: "v2" } }) })),
  s("kind Pod", (c) => ({ config: kc(c, { top: { kind: "Pod" } }) })),
  s("a kubeconfig written as JSON", (c) => ({ config: JSON.stringify(kc(c)) })),
  s("an unknown top-level field", (c) => ({ config: kc(c, { top: { colour: "blue" } }) })),
  s("clusters that is not a list", (c) => ({
    config: kc(c, { top: { clusters: { c: { server: c.https } } } }),
  })),
  s("an entry without a name", (c) => {
    const k = kc(c);
    return { config: { ...k, users: [...(k.users as Obj[]), { user: { token: "nameless" } }] } };
  }),
  s("bad YAML", () => ({ config: "clusters: [unclosed\n" })),
  s("an empty file", () => ({ config: "" })),
  s("a file with only a comment", () => ({ config: "# nothing yet\n" })),
];

const files: Scenario[] = [
  s("KUBECONFIG with two files: the first current-context wins", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c, { current: "y" }))}` },
  })),
  s("KUBECONFIG with two files: the first definition of a name wins", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c, { current: "x" }))}` },
  })),
  s("KUBECONFIG: the current-context from the second file when the first has none", (c) => ({
    env: {
      KUBECONFIG: `${c.write("a", kc(c, { top: { "current-context": undefined } }))}:${c.write("b", second(c, { current: "y" }))}`,
    },
  })),
  s("KUBECONFIG: the first file's current-context names a context of the second", (c) => ({
    env: {
      KUBECONFIG: `${c.write("a", kc(c, { top: { "current-context": "y" } }))}:${c.write("b", second(c))}`,
    },
  })),
  s("KUBECONFIG: --context picks from the second file", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c))}` },
    args: ["--context", "y"],
  })),
  s("KUBECONFIG: an empty file first", (c) => ({
    env: { KUBECONFIG: `${c.write("empty", "")}:${c.write("a", kc(c))}` },
  })),
  s("KUBECONFIG: an empty file last", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("empty", "")}` },
  })),
  s("KUBECONFIG: a missing file", (c) => ({ env: { KUBECONFIG: `${c.dir}/none:${c.write("a", kc(c))}` } })),
  s("KUBECONFIG: only missing files", (c) => ({ env: { KUBECONFIG: `${c.dir}/none:${c.dir}/none2` } })),
  s("KUBECONFIG: the same file twice", (c) => {
    const a = c.write("a", kc(c));
    return { env: { KUBECONFIG: `${a}:${a}` } };
  }),
  s("KUBECONFIG: empty entries", (c) => ({ env: { KUBECONFIG: `::${c.write("a", kc(c))}::` } })),
  s("KUBECONFIG: a relative path", (c) => {
    c.write("cwd/rel-config", kc(c));
    return { env: { KUBECONFIG: "rel-config" } };
  }),
  s("KUBECONFIG: relative paths inside the second file", (c) => {
    c.write("other/pki/ca.crt", Buffer.from(c.caData, "base64").toString());
    c.write("other/token", "tok-other");
    const b = c.write("other/config", {
      clusters: [{ name: "c3", cluster: { server: c.https, "certificate-authority": "pki/ca.crt" } }],
      users: [{ name: "u3", user: { tokenFile: "token" } }],
      contexts: [{ name: "z", context: { cluster: "c3", user: "u3" } }],
    });
    return { env: { KUBECONFIG: `${c.write("a", kc(c, { top: { "current-context": "z" } }))}:${b}` } };
  }),
  s("KUBECONFIG: a bad file in the list", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("bad", "clusters: [unclosed\n")}` },
  })),
  s(
    "KUBECONFIG: a folder in the list",
    (c) => ({ env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.dir}/pki` } }),
    {},
  ),
  s("KUBECONFIG: the same name twice in the second file", (c) => {
    const b = second(c);
    return {
      env: {
        KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", { ...b, users: [...(b.users as Obj[]), { name: "u2", user: {} }] })}`,
      },
    };
  }),
  s("--kubeconfig wins over KUBECONFIG", (c) => ({
    env: { KUBECONFIG: c.write("a", kc(c)) },
    args: ["--kubeconfig", c.write("b", second(c, { current: "y" }))],
  })),
  s("--kubeconfig of a missing file", (c) => ({ args: ["--kubeconfig", `${c.dir}/none`] })),
  s("--kubeconfig of an empty file", (c) => ({ args: ["--kubeconfig", c.write("empty", "")] })),
  s("--kubeconfig relative to the working folder", (c) => {
    c.write("cwd/k", kc(c));
    return { args: ["--kubeconfig", "k"] };
  }),
  s("~/.kube/config when KUBECONFIG is not set", (c) => {
    c.write("home/.kube/config", kc(c));
    return {};
  }),
  s("~/.kube/config missing and nothing else", () => ({})),
  s("KUBECONFIG set but empty: ~/.kube/config", (c) => {
    c.write("home/.kube/config", kc(c));
    return { env: { KUBECONFIG: "" } };
  }),
];

const flags: Scenario[] = [
  s("--token over the kubeconfig's token", (c) => ({ config: kc(c), args: ["--token", "tok-flag"] })),
  s("--token with a tokenFile user", (c) => ({
    config: kc(c, { user: { token: undefined, tokenFile: c.write("token", "tok-file") } }),
    args: ["--token", "tok-flag"],
  })),
  s("--token with an exec user", (c) => ({
    config: kc(c, { user: { token: undefined, ...exec(c.plugin()) } }),
    args: ["--token", "tok-flag"],
  })),
  s("--token with a basic-auth user", (c) => ({
    config: kc(c, { user: { token: undefined, username: "ann", password: "secret" } }),
    args: ["--token", "tok-flag"],
  })),
  s("--token with a client-certificate user", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "client-certificate-data": alice(c).certData,
        "client-key-data": alice(c).keyData,
      },
    }),
    args: ["--token", "tok-flag"],
  })),
  s("--token with an auth-provider user", (c) => ({
    config: kc(c, { user: { token: undefined, "auth-provider": { name: "acme", config: {} } } }),
    args: ["--token", "tok-flag"],
  })),
  s("--as", (c) => ({ config: kc(c), args: ["--as", "jane"] })),
  s("--as and two --as-group", (c) => ({
    config: kc(c),
    args: ["--as", "jane", "--as-group", "dev", "--as-group", "ops"],
  })),
  s("--as-group without --as", (c) => ({ config: kc(c), args: ["--as-group", "dev"] })),
  s("--as-group without --as, as in the kubeconfig", (c) => ({
    config: kc(c, { user: { as: "jane" } }),
    args: ["--as-group", "dev"],
  })),
  s("--as and --as-uid", (c) => ({ config: kc(c), args: ["--as", "jane", "--as-uid", "42"] })),
  s("--as-uid without --as", (c) => ({ config: kc(c), args: ["--as-uid", "42"] })),
  s("--as over the kubeconfig's as and as-groups", (c) => ({
    config: kc(c, { user: { as: "joe", "as-groups": ["kube"], "as-user-extra": { scopes: ["x"] } } }),
    args: ["--as", "jane"],
  })),
  s("--as-group over the kubeconfig's as-groups", (c) => ({
    config: kc(c, { user: { as: "joe", "as-groups": ["kube"] } }),
    args: ["--as-group", "dev"],
  })),
  s("--server", (c) => ({ config: kc(c), args: ["--server", c.alt] })),
  s("--server without a scheme", (c) => ({ config: kc(c), args: ["--server", `127.0.0.1:${c.port}`] })),
  s("--server with http://", (c) => ({ config: kc(c), args: ["--server", c.http] })),
  s("--server with a path", (c) => ({ config: kc(c), args: ["--server", `${c.alt}/prefix/`] })),
  s("--server with --token and no kubeconfig", (c) => ({
    args: ["--server", c.https, "--token", "tok-flag", "--certificate-authority", c.caFile],
  })),
  s("--server with --token and an empty kubeconfig", (c) => ({
    config: "",
    args: ["--server", c.https, "--token", "tok-flag", "--certificate-authority", c.caFile],
  })),
  s("--server with --token and a kubeconfig without current-context", (c) => ({
    config: kc(c, { top: { "current-context": undefined } }),
    args: ["--server", c.https, "--token", "tok-flag", "--certificate-authority", c.caFile],
  })),
  s("--server with a context naming a missing cluster", (c) => ({
    config: kc(c, { context: { cluster: "ghost" } }),
    args: ["--server", c.https, "--certificate-authority", c.caFile],
  })),
  s("--server with --insecure-skip-tls-verify and no kubeconfig", (c) => ({
    args: ["--server", c.https, "--insecure-skip-tls-verify"],
  })),
  s("--insecure-skip-tls-verify with a CA in the kubeconfig", (c) => ({
    config: kc(c),
    args: ["--insecure-skip-tls-verify"],
  })),
  s("--insecure-skip-tls-verify with --certificate-authority", (c) => ({
    config: kc(c),
    args: ["--insecure-skip-tls-verify", "--certificate-authority", c.caFile],
  })),
  s("--insecure-skip-tls-verify=false over an insecure kubeconfig", (c) => ({
    config: kc(c, { cluster: { "insecure-skip-tls-verify": true, "certificate-authority-data": undefined } }),
    args: ["--insecure-skip-tls-verify=false"],
  })),
  s("--certificate-authority over certificate-authority-data", (c) => ({
    config: kc(c, { cluster: { "certificate-authority-data": c.otherCaData } }),
    args: ["--certificate-authority", c.caFile],
  })),
  s("--certificate-authority with an insecure kubeconfig", (c) => ({
    config: kc(c, { cluster: { "insecure-skip-tls-verify": true, "certificate-authority-data": undefined } }),
    args: ["--certificate-authority", c.caFile],
  })),
  s("--certificate-authority relative to the working folder", (c) => {
    c.write("cwd/ca.crt", Buffer.from(c.caData, "base64").toString());
    return {
      config: kc(c, { cluster: { "certificate-authority-data": undefined } }),
      args: ["--certificate-authority", "ca.crt"],
    };
  }),
  s("--certificate-authority of another CA", (c) => ({
    config: kc(c),
    args: ["--certificate-authority", c.otherCaFile],
  })),
  s("--client-certificate and --client-key", (c) => ({
    config: kc(c, { user: { token: undefined } }),
    args: ["--client-certificate", alice(c).certFile, "--client-key", alice(c).keyFile],
  })),
  s("--client-certificate and --client-key over the kubeconfig's data", (c) => ({
    config: kc(c, {
      user: {
        token: undefined,
        "client-certificate-data": c.cert("bob").certData,
        "client-key-data": c.cert("bob").keyData,
      },
    }),
    args: ["--client-certificate", alice(c).certFile, "--client-key", alice(c).keyFile],
  })),
  s("--client-certificate alone with a key in the kubeconfig", (c) => ({
    config: kc(c, { user: { token: undefined, "client-key-data": alice(c).keyData } }),
    args: ["--client-certificate", alice(c).certFile],
  })),
  s("--client-certificate and --client-key relative to the working folder", (c) => {
    const a = alice(c);
    c.write("cwd/me.crt", Buffer.from(a.certData, "base64").toString());
    c.write("cwd/me.key", Buffer.from(a.keyData, "base64").toString());
    return {
      config: kc(c, { user: { token: undefined } }),
      args: ["--client-certificate", "me.crt", "--client-key", "me.key"],
    };
  }),
  s("--tls-server-name", (c) => ({ config: kc(c), args: ["--tls-server-name", ALT_NAME] })),
  s("--tls-server-name not in the certificate", (c) => ({
    config: kc(c),
    args: ["--tls-server-name", "elsewhere.example"],
  })),
  s("--cluster", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c))}` },
    args: ["--cluster", "c2"],
  })),
  s("--user", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c))}` },
    args: ["--user", "u2"],
  })),
  s("--cluster that does not exist", (c) => ({ config: kc(c), args: ["--cluster", "ghost"] })),
  s("--user that does not exist", (c) => ({ config: kc(c), args: ["--user", "ghost"] })),
  s("--context that does not exist", (c) => ({ config: kc(c), args: ["--context", "ghost"] })),
  s("--context and -n", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c))}` },
    args: ["--context", "y", "-n", "ns-flag"],
  })),
  s("--kubeconfig and --context", (c) => ({
    args: ["--kubeconfig", c.write("b", second(c)), "--context", "y"],
  })),
  s("--cluster and --server", (c) => ({
    env: { KUBECONFIG: `${c.write("a", kc(c))}:${c.write("b", second(c))}` },
    args: ["--cluster", "c2", "--server", c.https],
  })),
  s("--request-timeout shorter than the server", (c) => ({
    config: kc(c),
    args: ["--request-timeout", "1s"],
    slowMs: 3000,
  })),
  s("--request-timeout longer than the server", (c) => ({
    config: kc(c),
    args: ["--request-timeout", "8s"],
    slowMs: 500,
  })),
  s("--request-timeout 0 (none)", (c) => ({ config: kc(c), args: ["--request-timeout", "0"], slowMs: 300 })),
];

const environment: Scenario[] = [
  s("HTTPS_PROXY", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy },
  })),
  s("https_proxy", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { https_proxy: c.proxy },
  })),
  s("HTTPS_PROXY and a loopback server", (c) => ({ config: kc(c), env: { HTTPS_PROXY: c.proxy } })),
  s("HTTPS_PROXY and NO_PROXY naming the server's domain", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy, NO_PROXY: ".kube.test" },
  })),
  s("HTTPS_PROXY and NO_PROXY naming another host", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy, NO_PROXY: "example.com,10.0.0.0/8" },
  })),
  ...[
    "api.kube.test",
    "kube.test",
    "*.kube.test",
    "API.KUBE.TEST",
    "other.test,api.kube.test",
    "api.kube.test:1",
  ].map((noProxy) =>
    s(`HTTPS_PROXY and NO_PROXY=${noProxy}`, (c) => ({
      config: kc(c, { cluster: { server: c.proxiedHttps } }),
      env: { HTTPS_PROXY: c.proxy, NO_PROXY: noProxy },
    })),
  ),
  s("HTTPS_PROXY and NO_PROXY naming the server's host and port", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy, NO_PROXY: `${PROXIED_HOST}:${c.port}` },
  })),
  s("HTTPS_PROXY and no_proxy", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy, no_proxy: PROXIED_HOST },
  })),
  s("HTTPS_PROXY with credentials", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy.replace("http://", "http://pu:pp@") },
  })),
  s("HTTPS_PROXY to a proxy that is down", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: "http://127.0.0.1:1" },
  })),
  s("HTTPS_PROXY, a client certificate and tls-server-name", (c) => ({
    config: kc(c, {
      cluster: { server: c.proxiedHttps, "tls-server-name": ALT_NAME },
      user: {
        token: undefined,
        "client-certificate-data": c.cert("bob").certData,
        "client-key-data": c.cert("bob").keyData,
      },
    }),
    env: { HTTPS_PROXY: c.proxy },
  })),
  s("HTTPS_PROXY to a SOCKS5 proxy", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.socks },
  })),
  s("HTTPS_PROXY and NO_PROXY=*", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: c.proxy, NO_PROXY: "*" },
  })),
  s("HTTP_PROXY and an http server", (c) => ({
    config: kc(c, {
      cluster: { server: `http://${PROXIED_HOST}:${c.port}`, "certificate-authority-data": undefined },
    }),
    env: { HTTP_PROXY: c.proxy },
  })),
  s("HTTP_PROXY only and an https server", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTP_PROXY: c.proxy },
  })),
  s("HTTPS_PROXY without a scheme", (c) => ({
    config: kc(c, { cluster: { server: c.proxiedHttps } }),
    env: { HTTPS_PROXY: `127.0.0.1:${new URL(c.proxy).port}` },
  })),
];

const serviceAccount = { token: "tok-sa", namespace: "ns-sa", ca: true };
const inCluster = (c: Ctx) => ({
  KUBERNETES_SERVICE_HOST: "127.0.0.1",
  KUBERNETES_SERVICE_PORT: String(c.port),
});

export const IN_CLUSTER: Scenario[] = [
  s("in-cluster", (c) => ({ env: inCluster(c), serviceAccount })),
  s("in-cluster with POD_NAMESPACE", (c) => ({
    env: { ...inCluster(c), POD_NAMESPACE: "ns-pod" },
    serviceAccount,
  })),
  s("in-cluster with --token", (c) => ({ env: inCluster(c), serviceAccount, args: ["--token", "tok-flag"] })),
  s("in-cluster with -n", (c) => ({ env: inCluster(c), serviceAccount, args: ["-n", "ns-flag"] })),
  s("in-cluster without a namespace file", (c) => ({
    env: inCluster(c),
    serviceAccount: { token: "tok-sa", ca: true },
  })),
  s("in-cluster without ca.crt", (c) => ({
    env: inCluster(c),
    serviceAccount: { token: "tok-sa", namespace: "ns-sa" },
  })),
  s("in-cluster without a token file", (c) => ({
    env: inCluster(c),
    serviceAccount: { namespace: "ns-sa", ca: true },
  })),
  s("in-cluster without KUBERNETES_SERVICE_PORT", () => ({
    env: { KUBERNETES_SERVICE_HOST: "127.0.0.1" },
    serviceAccount,
    args: ["--request-timeout", "2s"],
  })),
  s("in-cluster with --server", (c) => ({
    env: inCluster(c),
    serviceAccount,
    args: ["--server", c.alt, "--certificate-authority", c.caFile],
  })),
  s("in-cluster with --certificate-authority", (c) => ({
    env: inCluster(c),
    serviceAccount: { token: "tok-sa", namespace: "ns-sa" },
    args: ["--certificate-authority", c.caFile],
  })),
  s("in-cluster with --insecure-skip-tls-verify", (c) => ({
    env: inCluster(c),
    serviceAccount: { token: "tok-sa", namespace: "ns-sa" },
    args: ["--insecure-skip-tls-verify"],
  })),
  s("in-cluster with a kubeconfig context without a namespace", (c) => ({
    env: inCluster(c),
    serviceAccount,
    config: kc(c, { context: { namespace: undefined } }),
  })),
  s("in-cluster with a kubeconfig context with a namespace", (c) => ({
    env: inCluster(c),
    serviceAccount,
    config: kc(c),
  })),
  s("in-cluster, POD_NAMESPACE and a kubeconfig context without a namespace", (c) => ({
    env: { ...inCluster(c), POD_NAMESPACE: "ns-pod" },
    serviceAccount,
    config: kc(c, { context: { namespace: undefined } }),
  })),
  s("in-cluster with KUBECONFIG naming a missing file", (c) => ({
    env: { ...inCluster(c), KUBECONFIG: `${c.dir}/none` },
    serviceAccount,
  })),
  s("in-cluster with KUBECONFIG naming an empty file", (c) => ({
    env: { ...inCluster(c), KUBECONFIG: c.write("empty", "") },
    serviceAccount,
  })),
  s("in-cluster with ~/.kube/config", (c) => {
    c.write("home/.kube/config", kc(c));
    return { env: inCluster(c), serviceAccount };
  }),
  s("POD_NAMESPACE outside a cluster", (c) => ({
    env: { POD_NAMESPACE: "ns-pod" },
    config: kc(c, { context: { namespace: undefined } }),
  })),
  s("in-cluster with --as", (c) => ({ env: inCluster(c), serviceAccount, args: ["--as", "jane"] }), {
    deliberate: {
      why: "kubectl drops the in-cluster config when --as is given and has no server to talk to; stern impersonates",
      check(k, st) {
        expect(k.failed).toBe(true);
        expect(k.request).toBe("");
        expect(st.failed).toBe(false);
        expect(st.request).toMatch(/auth=Bearer tok-sa .*impersonate-user=jane/);
      },
    },
  }),
];

export const SCENARIOS: Scenario[] = [
  ...clusters,
  ...users,
  ...execs,
  ...contexts,
  ...files,
  ...flags,
  ...environment,
];
