/** Aligned text columns; colour (ANSI) only when asked, i.e. on a TTY without NO_COLOR. */

export interface TableOptions {
  color: boolean;
  /** Column index → ANSI colour code for that column's cells. */
  cellColor?: (column: number, value: string) => string | undefined;
}

const BOLD = "1";
const paint = (on: boolean, code: string | undefined, s: string): string => (on && code ? `\u001b[${code}m${s}\u001b[0m` : s);

export function renderTable(headers: string[], rows: string[][], opts: TableOptions): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[], style: (i: number, s: string) => string): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? style(i, c) : style(i, c.padEnd(widths[i]!))))
      .join("   ")
      .trimEnd();
  const out = [line(headers, (_i, s) => paint(opts.color, BOLD, s))];
  for (const r of rows) out.push(line(r, (i, s) => paint(opts.color, opts.cellColor?.(i, s.trim()), s)));
  return `${out.join("\n")}\n`;
}

export function useColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
}
