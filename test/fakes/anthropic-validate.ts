// The checks the real Messages API makes on a request body that a client can
// get wrong: required fields, roles, tool names, at most four cache
// breakpoints, and tool_use / tool_result pairing. Each returns the message a
// 400 invalid_request_error carries, or undefined when the body is acceptable.

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_BREAKPOINTS = 4;

type Body = Record<string, unknown>;
interface Msg {
  role?: unknown;
  content?: unknown;
}
interface Block {
  type?: unknown;
  id?: unknown;
  tool_use_id?: unknown;
  cache_control?: unknown;
}

export function checkMessagesBody(body: Body, countOnly: boolean): string | undefined {
  if (typeof body.model !== "string" || body.model === "") return "model: Field required";
  if (!countOnly && (typeof body.max_tokens !== "number" || body.max_tokens < 1)) return "max_tokens: Field required";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "messages: at least one message is required";
  return checkTools(body.tools) ?? checkBreakpoints(body) ?? checkMessages(body.messages as Msg[]);
}

function checkTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return "tools: Input should be a valid list";
  const names = new Set<string>();
  for (const [i, tool] of (tools as { name?: unknown; input_schema?: unknown }[]).entries()) {
    if (typeof tool.name !== "string" || !TOOL_NAME.test(tool.name)) return `tools.${i}.name: String should match pattern '${TOOL_NAME.source}'`;
    if (names.has(tool.name)) return `tools: Tool names must be unique (${tool.name})`;
    names.add(tool.name);
    if (typeof tool.input_schema !== "object" || tool.input_schema === null) return `tools.${i}.input_schema: Field required`;
  }
  return undefined;
}

function blocksOf(content: unknown): Block[] {
  return Array.isArray(content) ? (content as Block[]) : [];
}

function checkBreakpoints(body: Body): string | undefined {
  const all: unknown[] = [...blocksOf(body.tools), ...blocksOf(body.system), ...(body.messages as Msg[]).flatMap((m) => blocksOf(m.content))];
  const marked = all.filter((b) => typeof b === "object" && b !== null && (b as Block).cache_control).length;
  return marked > MAX_BREAKPOINTS ? `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${marked}.` : undefined;
}

function checkMessages(messages: Msg[]): string | undefined {
  if (messages[0]?.role !== "user") return "messages: first message must use the \"user\" role";
  for (const [i, m] of messages.entries()) {
    if (m.role !== "user" && m.role !== "assistant") return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    const pairing = checkPairing(messages, i);
    if (pairing) return pairing;
  }
  return undefined;
}

/** Every tool_use in an assistant turn is answered by a tool_result in the next user turn, and only those. */
function checkPairing(messages: Msg[], i: number): string | undefined {
  const m = messages[i]!;
  if (m.role === "assistant") {
    const uses = blocksOf(m.content).filter((b) => b.type === "tool_use").map((b) => String(b.id));
    const next = messages[i + 1];
    if (uses.length === 0 || next === undefined) return undefined;
    const answered = new Set(blocksOf(next.content).filter((b) => b.type === "tool_result").map((b) => String(b.tool_use_id)));
    const missing = uses.filter((id) => !answered.has(id));
    return missing.length ? `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${missing.join(", ")}` : undefined;
  }
  const prev = messages[i - 1];
  const known = new Set(prev?.role === "assistant" ? blocksOf(prev.content).filter((b) => b.type === "tool_use").map((b) => String(b.id)) : []);
  const stray = blocksOf(m.content).filter((b) => b.type === "tool_result" && !known.has(String(b.tool_use_id)));
  return stray.length ? `messages.${i}.content: unexpected tool_use_id found in tool_result blocks: ${String(stray[0]!.tool_use_id)}` : undefined;
}
