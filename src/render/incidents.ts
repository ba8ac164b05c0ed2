import type { ProductionIncident } from "../api/incident.js";
import { plain, type Style } from "./style.js";
import { age, table } from "./table.js";

/** The equivalent of `kubectl get productionincidents -A`. */
export function incidentTable(incidents: ProductionIncident[], now: Date, style: Style = plain): string {
  const rows = incidents.map((i) => incidentRow(i, now, style));
  return table(["NAMESPACE", "NAME", "PHASE", "TARGET", "CATEGORY", "CONFIDENCE", "AGE", "SUMMARY"], rows, {
    maxWidth: [20, 48, 14, 36, 26, 10, 6, 100],
  });
}

function incidentRow(i: ProductionIncident, now: Date, style: Style): string[] {
  const status = i.status ?? {};
  const d = status.diagnosis;
  const t = i.spec.target;
  return [
    i.metadata.namespace ?? "",
    i.metadata.name ?? "",
    phaseColor(status.phase ?? "", style),
    `${t.kind}/${t.name}`,
    d?.category ?? "",
    d ? d.confidence.toFixed(2) : "",
    age(i.metadata.creationTimestamp ?? status.firstSeen, now),
    d?.summary ?? "",
  ];
}

function phaseColor(phase: string, style: Style): string {
  if (phase === "Diagnosed") return style.yellow(phase);
  if (phase === "Failed") return style.red(phase);
  if (phase === "Resolved") return style.green(phase);
  return phase;
}

function wrapText(text: string, width: number, indent: string): string {
  const out: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out.join("\n");
}

const VERDICT_MARK: Record<string, string> = { Confirmed: "✔", Refuted: "✘", Possible: "?", Untested: "·" };

/** A `kubectl describe`-like view of one incident: root cause, hypotheses, evidence, remediation. */
export function describeIncident(inc: ProductionIncident, style: Style = plain): string {
  const d = inc.status?.diagnosis;
  const lines = headerBlock(inc, style);
  if (!d) return lines.join("\n");
  const how = d.mode === "agent" ? `agent (${d.model ?? "claude"})` : `rules${d.rule ? ` (${d.rule})` : ""}`;
  lines.push(
    `${style.bold("Category:")}     ${style.cyan(d.category)}   confidence ${d.confidence.toFixed(2)}   by ${how}   in ${d.durationMs} ms`,
    `${style.bold("Summary:")}      ${d.summary}`,
    style.bold("Root cause:"),
    wrapText(d.rootCause, 96, "  "),
    ...hypothesesBlock(d.hypotheses, style),
    ...evidenceBlock(d.evidence, style),
    ...remediationBlock(d.remediation, style),
    ...listBlock("Prevention:", d.prevention, style),
    ...listBlock("Notes:", d.notes, style),
  );
  const redactions = inc.status?.redactions ?? 0;
  if (redactions) lines.push(`${style.bold("Redactions:")}   ${redactions} secret(s) replaced before anything left the cluster`);
  return lines.join("\n");
}

function headerBlock(inc: ProductionIncident, style: Style): string[] {
  const s = inc.status ?? {};
  const t = inc.spec.target;
  const container = t.container ? ` (container ${t.container})` : "";
  const reopened = s.recurrences ? `, reopened ${s.recurrences}×` : "";
  const lines = [
    `${style.bold("Name:")}         ${inc.metadata.name}`,
    `${style.bold("Namespace:")}    ${inc.metadata.namespace}`,
    `${style.bold("Target:")}       ${t.kind} ${t.namespace}/${t.name}${container}`,
    `${style.bold("Trigger:")}      ${inc.spec.trigger.source} ${inc.spec.trigger.reason}`,
    `${style.bold("Phase:")}        ${phaseColor(s.phase ?? "", style)}   occurrences ${s.occurrences ?? 0}${reopened}`,
  ];
  if (s.affectedPods?.length) lines.push(`${style.bold("Pods:")}         ${s.affectedPods.map((p) => p.name).join(", ")}`);
  if (s.failureReason) lines.push(`${style.bold("Failure:")}      ${s.failureReason}`);
  return lines;
}

function listBlock(title: string, items: string[], style: Style): string[] {
  return items.length ? [style.bold(title), ...items.map((n) => wrapText(`- ${n}`, 96, "  "))] : [];
}

type D = NonNullable<NonNullable<ProductionIncident["status"]>["diagnosis"]>;

function hypothesesBlock(hypotheses: D["hypotheses"], style: Style): string[] {
  if (!hypotheses.length) return [];
  return [style.bold("Hypotheses:"), ...hypotheses.map((h) => wrapText(`${VERDICT_MARK[h.verdict] ?? ""} ${h.verdict}: ${h.statement}`, 96, "  "))];
}

function evidenceBlock(evidence: D["evidence"], style: Style): string[] {
  if (!evidence.length) return [];
  const out = [style.bold("Evidence:")];
  for (const e of evidence) {
    out.push(`  ${style.dim(`[${e.id}]`)} ${e.source}`);
    const excerpt = e.excerpt.split("\n").slice(0, 8);
    out.push(...excerpt.map((l) => `      ${l.length > 140 ? `${l.slice(0, 139)}…` : l}`));
  }
  return out;
}

function remediationBlock(steps: D["remediation"], style: Style): string[] {
  if (!steps.length) return [];
  const out = [style.bold("Remediation:")];
  steps.forEach((r, i) => {
    out.push(`  ${i + 1}. [${r.stage}, risk ${r.risk}] ${r.title}`);
    if (r.description) out.push(wrapText(r.description, 92, "     "));
    out.push(...r.commands.map((c) => `     $ ${c}`));
    if (r.patch) out.push(...r.patch.split("\n").map((l) => `     | ${l}`));
    if (r.rollback?.length) out.push(`     rollback:`, ...r.rollback.map((c) => `     $ ${c}`));
  });
  return out;
}
