import type { ProductionIncident } from "../../src/api/index.js";
import type { Expect, Scenario } from "./load.js";

export interface Outcome {
  name: string;
  expect: Expect;
  ok: boolean;
  /** Why it failed, for the report. */
  problems: string[];
  incidents: number;
  category?: string;
  rule?: string;
  summary?: string;
  ms: number;
}

/** Scores the incidents of one scenario: right count, and for the first incident the category and every keyword group. */
export function score(s: Scenario, incidents: ProductionIncident[], ms: number): Outcome {
  const problems: string[] = [];
  if (incidents.length !== s.expect.incidents) problems.push(`expected ${s.expect.incidents} incident(s), got ${incidents.length}`);
  const d = incidents[0]?.status?.diagnosis;
  if (s.expect.incidents > 0 && d) {
    if (d.category !== s.expect.category) problems.push(`category ${d.category}, expected ${s.expect.category}`);
    const text = `${d.summary}\n${d.rootCause}`.toLowerCase();
    for (const group of s.expect.keywords) {
      if (!group.some((k) => text.includes(k.toLowerCase()))) problems.push(`none of [${group.join(" | ")}] in summary/rootCause`);
    }
  }
  return { name: s.name, expect: s.expect, ok: problems.length === 0, problems, incidents: incidents.length, category: d?.category, rule: d?.rule, summary: d?.summary, ms };
}

export interface Row {
  category: string;
  total: number;
  passed: number;
}

/** Accuracy per expected category (healthy controls as "(healthy)"), sorted by name, plus the overall row. */
export function accuracyRows(outcomes: Outcome[]): { rows: Row[]; overall: Row } {
  const by = new Map<string, Row>();
  for (const o of outcomes) {
    const key = o.expect.incidents === 0 ? "(healthy)" : o.expect.category;
    const row = by.get(key) ?? { category: key, total: 0, passed: 0 };
    row.total++;
    if (o.ok) row.passed++;
    by.set(key, row);
  }
  const rows = [...by.values()].sort((a, b) => a.category.localeCompare(b.category));
  const overall = { category: "overall", total: outcomes.length, passed: outcomes.filter((o) => o.ok).length };
  return { rows, overall };
}

function pct(r: Row): string {
  return r.total ? `${((100 * r.passed) / r.total).toFixed(1)}%` : "-";
}

/** A plain-text table: category, passed/total, accuracy. */
export function accuracyTable(outcomes: Outcome[]): string {
  const { rows, overall } = accuracyRows(outcomes);
  const lines = [["category", "passed", "total", "accuracy"], ...[...rows, overall].map((r) => [r.category, String(r.passed), String(r.total), pct(r)])];
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]): string => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [fmt(lines[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...lines.slice(1, -1).map(fmt), widths.map((w) => "-".repeat(w)).join("  "), fmt(lines.at(-1)!)].join("\n");
}

/** One line per failed scenario. */
export function failureReport(outcomes: Outcome[]): string {
  return outcomes
    .filter((o) => !o.ok)
    .map((o) => `✗ ${o.name}: ${o.problems.join("; ")}${o.rule ? ` [rule ${o.rule}]` : ""}${o.summary ? `\n    summary: ${o.summary}` : ""}`)
    .join("\n");
}
