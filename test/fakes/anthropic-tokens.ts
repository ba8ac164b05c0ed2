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
// 1024 tokens for Sonnet and Opus).

export const CHARS_PER_TOKEN = 4;
export const MIN_CACHEABLE_TOKENS = 1024;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

interface Piece {
  text: string;
  breakpoint: boolean;
}

function hasCacheControl(block: unknown): boolean {
  return typeof block === "object" && block !== null && "cache_control" in block && Boolean((block as { cache_control?: unknown }).cache_control);
}

/** The prompt as an ordered list of pieces, each flagged when it carries a cache breakpoint. */
export function promptPieces(body: Record<string, unknown>): Piece[] {
  const pieces: Piece[] = [];
  for (const tool of asArray(body.tools)) pieces.push({ text: JSON.stringify(tool), breakpoint: hasCacheControl(tool) });
  const system = body.system;
  if (typeof system === "string") pieces.push({ text: system, breakpoint: false });
  for (const block of asArray(system)) pieces.push({ text: JSON.stringify(block), breakpoint: hasCacheControl(block) });
  for (const message of asArray(body.messages)) {
    const m = message as { role?: unknown; content?: unknown };
    pieces.push({ text: JSON.stringify(m.role), breakpoint: false });
    if (typeof m.content === "string") pieces.push({ text: m.content, breakpoint: false });
    for (const block of asArray(m.content)) pieces.push({ text: JSON.stringify(block), breakpoint: hasCacheControl(block) });
  }
  return pieces;
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
    const prefixes: { key: string; tokens: number }[] = [];
    let text = "";
    for (const piece of pieces) {
      text += piece.text;
      if (piece.breakpoint) prefixes.push({ key: `${model}\u0000${text}`, tokens: estimateTokens(text) });
    }
    const cacheable = prefixes.filter((p) => p.tokens >= MIN_CACHEABLE_TOKENS);
    const longestRead = [...cacheable].reverse().find((p) => this.written.has(p.key));
    const read = longestRead?.tokens ?? 0;
    const upTo = cacheable.at(-1)?.tokens ?? 0;
    for (const p of cacheable) this.written.add(p.key);
    const created = Math.max(0, upTo - read);
    return { input_tokens: Math.max(0, total - read - created), cache_read_input_tokens: read, cache_creation_input_tokens: created };
  }
}
