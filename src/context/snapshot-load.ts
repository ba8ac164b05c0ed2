import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ClusterSnapshot } from "../api/snapshot.js";

/** A snapshot that cannot be read or is malformed; the message names the file, the path inside it and what is wrong. */
export class SnapshotError extends Error {
  override name = "SnapshotError";
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `objects[3].metadata.name` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out || "(top level)";
}

function describeIssues(error: z.ZodError, data: unknown): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `  ${formatPath(i.path)}: ${i.message}${objectHint(i.path, data)}`)
    .join("\n");
}

/** Names the object an issue is in (`objects[3]` → `(Pod shop/web-1)`) so a person can find it. */
function objectHint(path: readonly PropertyKey[], data: unknown): string {
  if (path[0] !== "objects" || typeof path[1] !== "number" || path.length < 3) return "";
  const obj = (data as { objects?: unknown[] }).objects?.[path[1]] as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | undefined;
  if (!obj || typeof obj !== "object") return "";
  const name = [obj.metadata?.namespace, obj.metadata?.name].filter((x) => typeof x === "string").join("/");
  return typeof obj.kind === "string" ? ` (in ${obj.kind}${name ? ` ${name}` : ""})` : "";
}

/** Parses a ClusterSnapshot from YAML or JSON text. Unknown top-level keys (a scenario's `expect`) are ignored. */
export function parseSnapshot(text: string, file: string): ClusterSnapshot {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : "";
    throw new SnapshotError(`${file}: not valid YAML or JSON${where}: ${first.message.split("\n")[0]}`, file);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new SnapshotError(`${file}: a ClusterSnapshot must be a mapping with apiVersion, kind: ClusterSnapshot, capturedAt and objects`, file);
  }
  const parsed = ClusterSnapshot.safeParse(data);
  if (!parsed.success) {
    throw new SnapshotError(`${file}: not a valid ClusterSnapshot:\n${describeIssues(parsed.error, data)}`, file, { cause: parsed.error });
  }
  return parsed.data;
}

/** Reads and parses a ClusterSnapshot file (YAML or JSON). */
export function loadSnapshot(path: string): ClusterSnapshot {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (cause as Error).message;
    throw new SnapshotError(`${path}: cannot read snapshot: ${why}`, path, { cause });
  }
  return parseSnapshot(text, path);
}
