// Everything read from the cluster — logs above all, but also events, object
// fields and alert text — is data written by someone else. It reaches the
// model only inside clearly delimited blocks, and text in it that looks like
// instructions is detected so the incident can say so.

const OPEN = "<untrusted-data";
const CLOSE = "</untrusted-data>";

/** Makes sure data can never close (or open) its own delimiter block. */
function defang(text: string): string {
  return text.replace(/<(\/?)untrusted-data/gi, "‹$1untrusted-data");
}

/**
 * Wraps data in a delimited block naming its evidence id and origin. The
 * system prompt tells the model that such a block is data, never instructions.
 */
export function wrapUntrusted(id: string, origin: string, text: string): string {
  return `${OPEN} id="${defang(id)}" origin="${defang(origin)}">\n${defang(text)}\n${CLOSE}`;
}

const PATTERNS: { name: string; re: RegExp }[] = [
  { name: "asks to ignore instructions", re: /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|your|system)\b[^.\n]{0,20}\b(instructions?|prompts?|rules|directives|guidelines)\b/i },
  { name: "claims a new role or instructions", re: /\b(you are now|from now on you|new instructions?:|act as (an? )?(admin|root|system)|system prompt:)/i },
  { name: "asks for a destructive action", re: /\b(delete|remove|destroy|drop|wipe|scale (down|to 0))\b[^.\n]{0,30}\b(deployments?|namespaces?|pods?|clusters?|nodes?|statefulsets?|pvcs?|volumes?|database)\b/i },
  { name: "contains a mutating kubectl command", re: /\bkubectl\s+(delete|apply|patch|edit|exec|scale|drain|cordon|replace|create|set)\b/i },
  { name: "asks to reveal secrets", re: /\b(print|reveal|show|dump|output|exfiltrate|send|leak|list|display)\b[^.\n]{0,30}\b(secrets?|api[ _-]?keys?|tokens?|passwords?|credentials|private keys?)\b/i },
  { name: "tries to close the data block", re: /<\/?untrusted-data/i },
  { name: "impersonates a conversation turn", re: /^\s*(human|assistant|system)\s*:/im },
];

export interface InjectionFinding {
  /** Evidence id of the data that held the text. */
  id: string;
  kinds: string[];
  /** The first matching fragment, shortened. */
  sample: string;
}

/** Finds instruction-like text in data; undefined when there is none. */
export function detectInjection(id: string, text: string): InjectionFinding | undefined {
  const kinds: string[] = [];
  let sample = "";
  for (const { name, re } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    kinds.push(name);
    sample ||= m[0];
  }
  if (kinds.length === 0) return undefined;
  return { id, kinds, sample: sample.replace(/\s+/g, " ").trim().slice(0, 120) };
}

/** One note for the incident summarising every finding, within the note size limit. */
export function injectionNote(findings: InjectionFinding[]): string | undefined {
  if (findings.length === 0) return undefined;
  const ids = [...new Set(findings.map((f) => f.id))];
  const kinds = [...new Set(findings.flatMap((f) => f.kinds))];
  const sample = findings[0]!.sample;
  const note = `Suspicious instruction-like text in untrusted cluster data (${ids.slice(0, 5).join(", ")}${ids.length > 5 ? ", …" : ""}): ${kinds.join("; ")} — e.g. "${sample}". It was treated as data only; the investigation used read-only tools.`;
  return note.slice(0, 1000);
}
