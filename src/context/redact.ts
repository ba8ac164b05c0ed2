import { ENTROPY_CANDIDATE, isHighEntropySecret } from "./entropy.js";
import { mark, SECRET_KEY_WORDS, SECRET_PATTERNS, type SecretPattern } from "./redact-patterns.js";

/**
 * Redaction of secrets in text and in structured values. Everything collected
 * from a cluster passes through here before it becomes evidence, so nothing
 * downstream (rules, the agent, the incident, notifications) sees a secret.
 */

function applyPattern(text: string, p: SecretPattern, counter: { n: number }): string {
  return text.replace(p.re, (...args: unknown[]) => {
    const whole = args[0] as string;
    const groups = args.slice(1, -2) as (string | undefined)[];
    const before = p.keep !== undefined ? (groups[p.keep - 1] ?? "") : "";
    const after = p.keepAfter !== undefined ? (groups[p.keepAfter - 1] ?? "") : "";
    const secretGroup = p.secretGroup ?? (p.keep !== undefined ? p.keep + 1 : undefined);
    const secret = secretGroup !== undefined ? (groups[secretGroup - 1] ?? "") : whole;
    if (p.skip?.(secret, groups as string[])) return whole;
    counter.n++;
    const quote = /^["']/.test(secret) ? secret[0]! : "";
    return `${before}${quote}${mark(p.kind)}${quote}${after}`;
  });
}

function applyEntropy(text: string, counter: { n: number }): string {
  return text.replace(ENTROPY_CANDIDATE, (token) => {
    if (!isHighEntropySecret(token)) return token;
    counter.n++;
    return mark("high-entropy");
  });
}

/** Replaces every secret found in `text` with `[REDACTED:kind]`; `count` is the number replaced. */
export function redact(text: string): { text: string; count: number } {
  if (text.length === 0) return { text, count: 0 };
  const counter = { n: 0 };
  let out = text;
  for (const p of SECRET_PATTERNS) out = applyPattern(out, p, counter);
  out = applyEntropy(out, counter);
  return { text: out, count: counter.n };
}

const SECRET_NAME = new RegExp(`(?:^|[^a-z])(?:${SECRET_KEY_WORDS})$|(?:password|passwd|passphrase|secret|token|apikey|credentials?)$`, "i");
const SECRET_NAME_CAMEL = /(?:Password|Passwd|Passphrase|Secret|Token|ApiKey|AccessKey|SecretKey|PrivateKey|Credentials?|SessionId|Cookie|Signature|Dsn|ConnectionString|AccountKey|MasterKey|SigningKey|EncryptionKey)$/;
const NOT_SECRET_NAME = /(?:^|[_.-])(?:name|ref|file|path|dir|url|uri|endpoint|host|port|ttl|expiry|expiration|seconds|type|enabled|length|header|kind)$/i;

/**
 * True when a name (env var, config key, object key) says its value is a
 * secret: DB_PASSWORD, apiKey, STRIPE_SECRET_KEY, "client-secret", AUTH_TOKEN.
 * Names of references (secretName, tokenFile, PASSWORD_FILE) are not.
 */
export function looksSecretName(name: string): boolean {
  if (!name || NOT_SECRET_NAME.test(name)) return false;
  if (/[a-z][A-Z]/.test(name) && /(?:Name|Ref|File|Path|Url|Seconds|Type|Enabled|Header)$/.test(name)) return false;
  return SECRET_NAME.test(name) || SECRET_NAME_CAMEL.test(name);
}

function redactEntry(key: string, v: unknown, counter: { n: number }): unknown {
  if (typeof v === "string" && v.length > 0 && !v.startsWith("[REDACTED") && looksSecretName(key)) {
    counter.n++;
    return mark("secret");
  }
  return walk(v, counter);
}

/** An env-style pair {name: "DB_PASSWORD", value: "..."}: the value is hidden when the name looks secret. */
function isSecretPair(o: Record<string, unknown>): boolean {
  return typeof o.name === "string" && typeof o.value === "string" && o.value.length > 0 && looksSecretName(o.name);
}

function walkObject(o: Record<string, unknown>, counter: { n: number }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = redactEntry(k, v, counter);
  if (isSecretPair(o) && out.value !== mark("secret")) {
    counter.n++;
    out.value = mark("secret");
  }
  return out;
}

function walk(v: unknown, counter: { n: number }): unknown {
  if (typeof v === "string") {
    const r = redact(v);
    counter.n += r.count;
    return r.text;
  }
  if (Array.isArray(v)) return v.map((x) => walk(x, counter));
  if (v instanceof Date) return v;
  if (v !== null && typeof v === "object") return walkObject(v as Record<string, unknown>, counter);
  return v;
}

/**
 * Deep redaction of a value: every string is redacted, values under
 * secret-looking keys are replaced, and env-style {name, value} pairs with a
 * secret-looking name lose their value. Returns a copy; the input is untouched.
 */
export function redactValue<T>(value: T): { value: T; count: number } {
  const counter = { n: 0 };
  const out = walk(value, counter) as T;
  return { value: out, count: counter.n };
}
