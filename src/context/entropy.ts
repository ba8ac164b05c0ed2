/**
 * The high-entropy detector: a token that is long, mixes upper case, lower case
 * and digits, changes character class often (random strings do, identifiers and
 * words do not) and carries enough Shannon entropy per character.
 *
 * Pure hex (commit SHAs, digests, trace ids, container ids), UUIDs, DNS-style
 * names (pod hashes), IPs and timestamps never qualify: they lack one of the
 * character classes or are broken up by `.`/`:` before they reach here.
 */

export const ENTROPY_MIN_LENGTH = 20;
const MIN_BITS_PER_CHAR = 3.4;
/** Class changes per character; random base62/base64 sits near 0.65, camelCase identifiers near 0.3. */
const MIN_CLASS_CHANGE_RATE = 0.4;

/** Candidates: runs of base64/base64url characters (with optional padding). */
export const ENTROPY_CANDIDATE = /(?<![A-Za-z0-9+/_\-[])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/_=-])/g;

export function shannonBitsPerChar(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function classOf(ch: string): number {
  if (ch >= "a" && ch <= "z") return 0;
  if (ch >= "A" && ch <= "Z") return 1;
  if (ch >= "0" && ch <= "9") return 2;
  return 3;
}

function classChangeRate(s: string): number {
  let changes = 0;
  for (let i = 1; i < s.length; i++) if (classOf(s[i]!) !== classOf(s[i - 1]!)) changes++;
  return changes / Math.max(1, s.length - 1);
}

/** Path-like tokens (`/usr/lib/...`, `a/b/c`) whose segments are words are not secrets. */
function looksLikePath(s: string): boolean {
  if (!s.includes("/")) return false;
  const segments = s.split("/").filter(Boolean);
  return s.startsWith("/") || segments.every((seg) => /^[A-Za-z][a-z0-9_-]*$/.test(seg));
}

export function isHighEntropySecret(token: string): boolean {
  const s = token.replace(/=+$/, "");
  if (s.length < ENTROPY_MIN_LENGTH) return false;
  if (!/[a-z]/.test(s) || !/[A-Z]/.test(s) || !/[0-9]/.test(s)) return false;
  if (looksLikePath(s)) return false;
  if (classChangeRate(s) < MIN_CLASS_CHANGE_RATE) return false;
  return shannonBitsPerChar(s) >= MIN_BITS_PER_CHAR;
}
