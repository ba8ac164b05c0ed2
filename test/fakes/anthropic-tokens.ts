// Token accounting of the fake Anthropic API.
//
// The fake cannot run a tokenizer, so it estimates: one token per 4 characters
// of the JSON that carries the prompt (tools, system, messages), rounded up.
// That is close to what Claude's tokenizer gives for English and JSON-heavy
// text (3.5–4.5 characters a token), and it is stable, which is what tests
// and benchmarks need: the same request always costs the same.
//
// Prompt caching follows the documented model: the prompt is the sequence
// tools → system → messages; a `cache_control` on a block marks the end of a
// cacheable prefix; a later request whose prefix up to a breakpoint is
// byte-identical to one written before reads it from the cache. Prefixes
// shorter than MIN_CACHEABLE_TOKENS are never cached (the real minimum is
// 1024 tokens for Sonnet and Opus). Like the real API, a breakpoint also finds
// a cached prefix that ends at one of the LOOKBACK_BLOCKS blocks before it, so
// a conversation that moves its breakpoint forward each turn keeps reading
// what the previous turn wrote.

export const CHARS_PER_TOKEN = 4;
export const MIN_CACHEABLE_TOKENS = 1024;
export const LOOKBACK_BLOCKS = 20;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

interface Piece {
  text: string;
  /** A content block (a tool, a system block, a message block) rather than framing. */
  block: boolean;
  breakpoint: boolean;
}

function hasCacheControl(block: unknown): boolean {
  return typeof block === "object" && block !== null && "cache_control" in block && Boolean((block as { cache_control?: unknown }).cache_control);
}

/** The prompt as an ordered list of pieces, each flagged when it carries a cache breakpoint. */
export function promptPieces(body: Record<string, unknown>): Piece[] {
  const pieces: Piece[] = [];
  const block = (b: unknown): Piece => ({ text: JSON.stringify(stripCacheControl(b)), block: true, breakpoint: hasCacheControl(b) });
  for (const tool of asArray(body.tools)) pieces.push(block(tool));
  const system = body.system;
  if (typeof system === "string") pieces.push({ text: system, block: true, breakpoint: false });
  for (const b of asArray(system)) pieces.push(block(b));
  for (const message of asArray(body.messages)) {
    const m = message as { role?: unknown; content?: unknown };
    pieces.push({ text: JSON.stringify(m.role), block: false, breakpoint: false });
    if (typeof m.content === "string") pieces.push({ text: m.content, block: true, breakpoint: false });
    for (const b of asArray(m.content)) pieces.push(block(b));
  }
  return pieces;
}

/** A breakpoint marks where a prefix ends; it is not part of the cached content itself. */
function stripCacheControl(b: unknown): unknown {
  if (typeof b !== "object" || b === null || !("cache_control" in b)) return b;
  const { cache_control: _marker, ...rest } = b as Record<string, unknown>;
  return rest;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export interface PromptUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** Remembers the cached prefixes of one fake server, keyed by model and exact text. */
export class PromptCache {
  private readonly written = new Set<string>();

  account(model: string, body: Record<string, unknown>): PromptUsage {
    const pieces = promptPieces(body);
    const total = estimateTokens(pieces.map((p) => p.text).join(""));
    const ends: { key: string; tokens: number; breakpoint: boolean }[] = [];
    let text = "";
    for (const piece of pieces) {
      text += piece.text;
      if (piece.block) ends.push({ key: `${model}\u0000${text}`, tokens: estimateTokens(text), breakpoint: piece.breakpoint });
    }
    let read = 0;
    ends.forEach((end, i) => {
      if (!end.breakpoint) return;
      const hit = ends.slice(Math.max(0, i - LOOKBACK_BLOCKS), i + 1).filter((e) => this.written.has(e.key)).at(-1);
      read = Math.max(read, hit?.tokens ?? 0);
    });
    const cacheable = ends.filter((e) => e.breakpoint && e.tokens >= MIN_CACHEABLE_TOKENS);
    const upTo = cacheable.at(-1)?.tokens ?? 0;
    for (const e of cacheable) this.written.add(e.key);
    const created = Math.max(0, upTo - read);
    return { input_tokens: Math.max(0, total - read - created), cache_read_input_tokens: read, cache_creation_input_tokens: created };
  }
}
