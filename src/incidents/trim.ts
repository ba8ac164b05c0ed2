// Keeps what we write within the CRD's limits and far below etcd's request limit
// (~1.5 MiB): every string and list is clamped to the schema's maxima, then, while
// the status is still over its byte budget, evidence excerpts get shorter and
// lists get fewer items. An incident is trimmed, never rejected.
import type { Diagnosis, EvidenceItem, Hypothesis, Remediation } from "../api/diagnosis.js";
import type { IncidentStatus } from "../api/incident.js";

/** Byte budget of an incident's status. */
export const MAX_STATUS_BYTES = 256 * 1024;
export const TRIM_NOTE = "Some evidence was shortened to keep the incident within its size limit";

const MARK = " …[trimmed]";

export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - MARK.length)) + MARK;
}

const fitList = (items: string[] | undefined, count: number, max: number): string[] => (items ?? []).slice(0, count).map((s) => fitText(s, max));

function fitHypothesis(h: Hypothesis): Hypothesis {
  return { ...h, statement: fitText(h.statement, 1000), evidence: fitList(h.evidence, 20, 253), ...(h.test !== undefined ? { test: fitText(h.test, 1000) } : {}) };
}

function fitEvidence(e: EvidenceItem, excerpt: number): EvidenceItem {
  return { ...e, id: fitText(e.id, 253), excerpt: fitText(e.excerpt, excerpt) };
}

function fitRemediation(r: Remediation): Remediation {
  return {
    ...r,
    title: fitText(r.title, 300),
    ...(r.description !== undefined ? { description: fitText(r.description, 2000) } : {}),
    commands: fitList(r.commands, 10, 2000),
    ...(r.patch !== undefined ? { patch: fitText(r.patch, 4000) } : {}),
    ...(r.rollback !== undefined ? { rollback: fitList(r.rollback, 10, 2000) } : {}),
  };
}

/** Clamps a diagnosis to the CRD's limits (lengths and item counts). */
export function clampDiagnosis(d: Diagnosis, excerpt = 4000, evidence = 40): Diagnosis {
  return {
    ...d,
    summary: fitText(d.summary, 300),
    rootCause: fitText(d.rootCause, 4000),
    hypotheses: (d.hypotheses ?? []).slice(0, 10).map(fitHypothesis),
    evidence: (d.evidence ?? []).slice(0, evidence).map((e) => fitEvidence(e, excerpt)),
    remediation: (d.remediation ?? []).slice(0, 10).map(fitRemediation),
    prevention: fitList(d.prevention, 10, 1000),
    notes: fitList(d.notes, 10, 1000),
    ...(d.model !== undefined ? { model: fitText(d.model, 100) } : {}),
    ...(d.rule !== undefined ? { rule: fitText(d.rule, 100) } : {}),
  };
}

/** Steps of shrinking, tried in order until the diagnosis fits its share of the budget. */
const STEPS: { excerpt: number; evidence: number }[] = [
  { excerpt: 4000, evidence: 40 },
  { excerpt: 2000, evidence: 40 },
  { excerpt: 1000, evidence: 40 },
  { excerpt: 500, evidence: 40 },
  { excerpt: 500, evidence: 20 },
  { excerpt: 300, evidence: 10 },
  { excerpt: 200, evidence: 5 },
];

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? "", "utf8");

/** A diagnosis within the CRD's limits and under maxBytes, with a note when anything was cut. */
export function fitDiagnosis(d: Diagnosis, maxBytes = MAX_STATUS_BYTES - 32 * 1024): Diagnosis {
  let out = clampDiagnosis(d);
  for (const step of STEPS) {
    if (bytes(out) <= maxBytes) break;
    out = clampDiagnosis(d, step.excerpt, step.evidence);
  }
  if (bytes(out) > maxBytes) out = { ...out, hypotheses: out.hypotheses.slice(0, 3), remediation: out.remediation.slice(0, 3) };
  return JSON.stringify(out) === JSON.stringify(d) ? d : withNote(out);
}

function withNote(d: Diagnosis): Diagnosis {
  if (d.notes.includes(TRIM_NOTE)) return d;
  return { ...d, notes: [...d.notes.slice(0, 9), TRIM_NOTE] };
}

/** The whole status under the byte budget (the diagnosis is the only large part). */
export function fitStatus(status: IncidentStatus, maxBytes = MAX_STATUS_BYTES): IncidentStatus {
  if (bytes(status) <= maxBytes || !status.diagnosis) return status;
  const rest = bytes({ ...status, diagnosis: undefined });
  return { ...status, diagnosis: fitDiagnosis(status.diagnosis, Math.max(16 * 1024, maxBytes - rest)) };
}
