import type { CoreV1Event } from "@kubernetes/client-node";
import { redact } from "./redact.js";
import type { EventFacts, Evidence } from "./types.js";
import type { ClusterView, EventQuery } from "./view.js";

/** Events of the pod and of each owner (one query per object), redacted, with ids `event/<uid>`. */

export interface EventsCollection {
  events: EventFacts[];
  evidence: Evidence[];
  redactions: number;
  notes: string[];
}

const MAX_EVENTS = 60;

function time(e: CoreV1Event): string | undefined {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  if (!t) return undefined;
  return t instanceof Date ? t.toISOString() : String(t);
}

function idOf(e: CoreV1Event): string {
  return e.metadata?.uid ? `event/${e.metadata.uid}` : `event/${e.metadata?.namespace ?? ""}/${e.metadata?.name ?? ""}`;
}

function countOf(e: CoreV1Event): number {
  return e.count ?? (e as { series?: { count?: number } }).series?.count ?? 1;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function facts(e: CoreV1Event, counter: { n: number }): EventFacts {
  const r = redact(e.message ?? "");
  counter.n += r.count;
  const io = e.involvedObject;
  return {
    evidenceId: idOf(e),
    type: e.type ?? "Normal",
    reason: e.reason ?? "",
    message: r.text,
    count: countOf(e),
    involved: { kind: io.kind ?? "", name: io.name ?? "", ...(io.fieldPath ? { fieldPath: io.fieldPath } : {}) },
    ...optional("source", e.source?.component || e.reportingComponent),
    ...optional("lastTimestamp", time(e)),
  };
}

export async function collectEvents(view: ClusterView, objects: EventQuery[]): Promise<EventsCollection> {
  const out: EventsCollection = { events: [], evidence: [], redactions: 0, notes: [] };
  const counter = { n: 0 };
  const lists = await Promise.all(
    objects.map(async (q) => {
      try {
        return await view.events(q);
      } catch (err) {
        out.notes.push(`could not list events of ${q.kind} ${q.namespace}/${q.name}: ${(err as Error).message}`);
        return [];
      }
    }),
  );
  const seen = new Set<string>();
  const all = lists.flat().map((e) => facts(e, counter)).filter((f) => !seen.has(f.evidenceId) && seen.add(f.evidenceId));
  all.sort((a, b) => (a.lastTimestamp ?? "").localeCompare(b.lastTimestamp ?? ""));
  // Warnings matter more than Normal events when there are too many.
  const kept = all.length <= MAX_EVENTS ? all : [...all.filter((e) => e.type !== "Normal"), ...all.filter((e) => e.type === "Normal")].slice(0, MAX_EVENTS);
  out.events = kept.sort((a, b) => (a.lastTimestamp ?? "").localeCompare(b.lastTimestamp ?? ""));
  out.evidence = out.events.map((e) => ({
    id: e.evidenceId,
    source: "Event",
    title: `${e.type} ${e.reason} on ${e.involved.kind} ${e.involved.name}`,
    text: `${e.lastTimestamp ?? ""} ${e.type} ${e.reason} ${e.involved.kind}/${e.involved.name}${e.involved.fieldPath ? ` (${e.involved.fieldPath})` : ""}${e.count > 1 ? ` x${e.count}` : ""}${e.source ? ` from ${e.source}` : ""}: ${e.message}`.trim(),
  }));
  out.redactions = counter.n;
  return out;
}
