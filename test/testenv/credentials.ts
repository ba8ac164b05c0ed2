// Files the apiserver needs for authentication: the service-account key pair and
// the static token file (an admin in system:masters and unprivileged users).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface StaticUser {
  name: string;
  /** Groups besides system:authenticated, which every authenticated user gets. */
  groups?: string[];
}

export interface Credentials {
  serviceAccountPublicKeyFile: string;
  serviceAccountSigningKeyFile: string;
  tokenFile: string;
  /** user name → bearer token */
  tokens: Map<string, string>;
}

export const ADMIN_USER = "admin";
export const RESTRICTED_USER = "restricted";

export function writeCredentials(dir: string, users: StaticUser[]): Credentials {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const serviceAccountPublicKeyFile = join(dir, "sa.pub");
  const serviceAccountSigningKeyFile = join(dir, "sa.key");
  writeFileSync(serviceAccountPublicKeyFile, publicKey.export({ type: "spki", format: "pem" }));
  writeFileSync(serviceAccountSigningKeyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });

  const all: StaticUser[] = [{ name: ADMIN_USER, groups: ["system:masters"] }, ...users];
  const tokens = new Map<string, string>();
  const lines = all.map((user, i) => {
    const token = randomBytes(24).toString("hex");
    tokens.set(user.name, token);
    const groups = ["system:authenticated", ...(user.groups ?? [])].join(",");
    return `${token},${user.name},uid-${i},"${groups}"`;
  });
  const tokenFile = join(dir, "tokens.csv");
  writeFileSync(tokenFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  return { serviceAccountPublicKeyFile, serviceAccountSigningKeyFile, tokenFile, tokens };
}
