import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";

/** Keywords the model does not need: zod enforces them on the way back, and every token of the prefix is paid on each turn. */
const DROPPED = new Set(["$schema", "minLength", "maxLength", "default"]);

function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compact);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node as Record<string, unknown>).filter(([k]) => !DROPPED.has(k)).map(([k, v]) => [k, compact(v)]));
}

/** A tool input schema from a zod schema, as the input the model writes. */
export function toolInputSchema(schema: z.ZodType): Anthropic.Tool.InputSchema {
  return compact(z.toJSONSchema(schema, { io: "input" })) as Anthropic.Tool.InputSchema;
}
