import { visibleLength } from "./style.js";

/** Aligned columns, like kubectl's: a header row in capitals, two spaces between columns. */
export function table(header: string[], rows: string[][], opts: { maxWidth?: number[] } = {}): string {
  const cut = (s: string, i: number): string => {
    const max = opts.maxWidth?.[i];
    return max && s.length > max ? `${s.slice(0, max - 1)}…` : s;
  };
  const all = [header, ...rows].map((r) => r.map((c, i) => cut(c, i)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => visibleLength(r[i] ?? ""))));
  return all
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + " ".repeat(widths[i]! - visibleLength(c)))).join("   ").trimEnd())
    .join("\n");
}

/** kubectl-style age: 45s, 3m, 2h, 5d. */
export function age(from: string | undefined, now: Date): string {
  if (!from) return "<unknown>";
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
