// A throwaway CA, a server cert for 127.0.0.1/localhost and a client cert, made at start-up.
import "reflect-metadata";
import { webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

import * as x509 from "@peculiar/x509";

export interface SimCerts {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** More client certificates, by common name (CertOptions.moreClients). */
  clients: Record<string, { certPem: string; keyPem: string }>;
}

export interface CertOptions {
  /** DNS names the server certificate holds besides localhost. */
  serverDnsNames?: string[];
  /** Common names of more client certificates, signed by the same CA. */
  moreClients?: string[];
}

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

x509.cryptoProvider.set(webcrypto as ReturnType<typeof x509.cryptoProvider.get>);

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex");
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const b64 = der.toString("base64").replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${b64.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 3600_000), notAfter: new Date(now + 365 * 86400_000) };
}

export async function generateCerts(clientCommonName = "stern", o: CertOptions = {}): Promise<SimCerts> {
  const [caKeys, serverKeys, clientKeys] = await Promise.all([
    webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]),
    webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]),
    webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]),
  ]);
  const caName = "CN=stern-sim-ca";
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: caName,
    ...validity(),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leaf = async (
    keys: CryptoKeyPair,
    subject: string,
    usage: string,
    san?: x509.SubjectAlternativeNameExtension,
  ) =>
    x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: caName,
      ...validity(),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: alg,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([usage]),
        await x509.AuthorityKeyIdentifierExtension.create(ca, false),
        ...(san ? [san] : []),
      ],
    });
  const server = await leaf(
    serverKeys,
    "CN=stern-sim-apiserver",
    x509.ExtendedKeyUsage.serverAuth,
    new x509.SubjectAlternativeNameExtension([
      { type: "ip", value: "127.0.0.1" },
      { type: "dns", value: "localhost" },
      ...(o.serverDnsNames ?? []).map((value) => ({ type: "dns", value })),
    ]),
  );
  const client = await leaf(clientKeys, `CN=${clientCommonName}`, x509.ExtendedKeyUsage.clientAuth);
  const clients: SimCerts["clients"] = {};
  for (const cn of o.moreClients ?? []) {
    const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
    const cert = await leaf(keys, `CN=${cn}`, x509.ExtendedKeyUsage.clientAuth);
    clients[cn] = { certPem: cert.toString("pem"), keyPem: await keyPem(keys.privateKey) };
  }
  return {
    caPem: ca.toString("pem"),
    serverCertPem: server.toString("pem"),
    serverKeyPem: await keyPem(serverKeys.privateKey),
    clientCertPem: client.toString("pem"),
    clientKeyPem: await keyPem(clientKeys.privateKey),
    clients,
  };
}
