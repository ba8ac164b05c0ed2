/**
 * Secret shapes, most specific first. Each pattern either replaces the whole
 * match or, with `keep`, keeps a prefix group (a key name, a URL's user) and
 * replaces only the secret part. Replacements look like `[REDACTED:kind]` and
 * contain nothing a later pattern matches.
 */
export interface SecretPattern {
  kind: string;
  re: RegExp;
  /** Index of a capture group kept in front of the replacement. */
  keep?: number;
  /** Index of the capture group holding the secret (default: keep + 1, or the whole match without keep). */
  secretGroup?: number;
  /** Index of a capture group kept after the replacement. */
  keepAfter?: number;
  /** Veto a match (the secret part is given). */
  skip?: (secret: string, match: RegExpExecArray | string[]) => boolean;
}

export const mark = (kind: string): string => `[REDACTED:${kind}]`;

/** Key names (env vars, JSON/YAML keys, flags, headers) whose values are secrets: the name ends with one of these. */
export const SECRET_KEY_WORDS =
  "password|passwd|pwd|passphrase|pass|secret|token|auth|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|" +
  "client[_-]?secret|account[_-]?key|shared[_-]?access[_-]?key|master[_-]?key|encryption[_-]?key|signing[_-]?key|license[_-]?key|" +
  "app[_-]?key|auth[_-]?key|credentials?|session[_-]?id|cookie|signature|sig|dsn|connection[_-]?string|salt";

/** Values next to a secret-looking key that are not secrets: placeholders, words, references, paths. */
const PLACEHOLDER =
  /^(?:null|nil|none|true|false|undefined|expired|invalid|missing|required|empty|unset|set|present|provided|not|is|was|has|failed|error|yes|no|ok|\*+|x+|\.\.\.|-+)$/i;

export function isPlaceholderValue(v: string): boolean {
  if (v.length < 3 || PLACEHOLDER.test(v)) return true;
  if (v.startsWith("[REDACTED") || v.startsWith("/") || v.startsWith("<")) return true;
  return /^(?:\$\{|\$\(|\{\{|%[sdv]$)/.test(v);
}

const KEY_VALUE = new RegExp(
  // optional quote, key ending with a secret word, same quote, separator, value (quoted or bare)
  `((["']?)\\b[A-Za-z0-9_.-]*?(?:${SECRET_KEY_WORDS})\\2\\s*[:=]\\s*)("[^"\\n]*"|'[^'\\n]*'|[^\\s"',;&}\\]]+)`,
  "gi",
);

const FLAG_WITH_SPACE = /((?<!\S)--?[A-Za-z0-9-]*(?:password|passwd|token|secret|api-key)\s+)([^\s-][^\s]*)/gi;

const unquote = (v: string): string => v.replace(/^["']|["']$/g, "");

export const SECRET_PATTERNS: SecretPattern[] = [
  {
    kind: "private-key",
    re: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$(?![\s\S]))/g,
  },
  { kind: "jwt", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  {
    kind: "password",
    re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi,
    keep: 1,
    keepAfter: 3,
    skip: (s) => s.startsWith("[REDACTED"),
  },
  {
    kind: "bearer-token",
    re: /(\b(?:Bearer|Basic|Token|Digest)\s+)([A-Za-z0-9\-._~+/]{8,}=*)/g,
    keep: 1,
    skip: (s) => /^[a-z]+$/.test(s),
  },
  { kind: "aws-access-key", re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { kind: "gcp-api-key", re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: "gcp-oauth-token", re: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  { kind: "github-token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: "gitlab-token", re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { kind: "slack-token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: "slack-webhook", re: /(https:\/\/hooks\.slack\.com\/services\/)([A-Za-z0-9/]+)/g, keep: 1 },
  { kind: "stripe-key", re: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { kind: "anthropic-key", re: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { kind: "openai-key", re: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/g },
  { kind: "npm-token", re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: "sendgrid-key", re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  { kind: "azure-sas", re: /([?&;]sig=)([A-Za-z0-9%+/=]{16,})/g, keep: 1 },
  {
    kind: "azure-key",
    re: /(\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)([^;\s"']+)/gi,
    keep: 1,
  },
  { kind: "secret", re: FLAG_WITH_SPACE, keep: 1, skip: (s) => isPlaceholderValue(s) },
  { kind: "secret", re: KEY_VALUE, keep: 1, secretGroup: 3, skip: (s) => isPlaceholderValue(unquote(s)) },
];
