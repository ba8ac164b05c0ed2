import type { EvidenceItem, EvidenceSource } from "../../api/diagnosis.js";

export interface LedgerEntry {
  id: string;
  source: EvidenceSource;
  title: string;
  /** Redacted text as shown to the model. */
  text: string;
}

const EXCERPT_CHARS = 800;

/**
 * Every piece of evidence of one investigation, by id: what collection found
 * and what each tool call returned. `seen` holds the ids actually shown to the
 * model; only those may be cited.
 */
export class EvidenceLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  private readonly seenIds = new Set<string>();

  add(entry: LedgerEntry, seen: boolean): void {
    if (!this.entries.has(entry.id)) this.entries.set(entry.id, entry);
    if (seen) this.seenIds.add(entry.id);
  }

  markSeen(id: string): void {
    if (this.entries.has(id)) this.seenIds.add(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  wasSeen(id: string): boolean {
    return this.seenIds.has(id);
  }

  seen(): string[] {
    return [...this.seenIds];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Evidence items for the incident, in citation order, with short excerpts. */
  items(ids: string[]): EvidenceItem[] {
    const out: EvidenceItem[] = [];
    for (const id of new Set(ids)) {
      const e = this.entries.get(id);
      if (e) out.push({ id: e.id, source: e.source, excerpt: excerpt(e.text) });
    }
    return out.slice(0, 40);
  }
}

function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS - 1)}…`;
}
