import { describe, expect, it } from "vitest";
import { citeLines, condenseLog } from "./condense.js";

const id = "logs/shop/web-1/web/previous";

describe("condenseLog", () => {
  it("keeps the first error with its stack trace and original line numbers", () => {
    const log = [
      "INFO starting",
      ...Array.from({ length: 100 }, (_, i) => `2026-11-27T12:00:00Z DEBUG tick ${i}`),
      "Exception in thread \"main\" java.lang.IllegalStateException: missing property db.url",
      "\tat com.acme.Config.load(Config.java:42)",
      "\tat com.acme.Main.main(Main.java:10)",
      "Caused by: java.util.NoSuchElementException: db.url",
      "\t... 2 more",
      "2026-11-27T12:00:01Z INFO shutdown hook ran",
    ].join("\n");
    const c = condenseLog(log, { evidenceId: id });
    expect(c.firstErrorLine).toBe(102);
    const kept = c.lines.map((l) => l.n);
    expect(kept).toEqual(expect.arrayContaining([102, 103, 104, 105, 106, 107]));
    expect(c.lines.find((l) => l.n === 105)?.text).toContain("Caused by");
    expect(c.totalLines).toBe(107);
    expect(c.text).toContain("102: Exception in thread");
  });

  it("collapses repeated lines that differ only in numbers and timestamps", () => {
    const log = Array.from({ length: 500 }, (_, i) => `2026-11-27T12:00:${String(i % 60).padStart(2, "0")}Z dial tcp 10.0.0.${i % 250}:5432: connect: connection refused`).join("\n");
    const c = condenseLog(log, { evidenceId: id });
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]).toMatchObject({ n: 1, repeat: 500 });
    expect(c.text).toContain("[×500]");
    expect(c.truncated).toBe(false);
  });

  it("keeps the last lines before exit and marks what was left out", () => {
    const log = Array.from({ length: 1000 }, (_, i) => `line ${i} ${"x".repeat(i % 7)}`).join("\n") + "\nfinal words";
    const c = condenseLog(log, { evidenceId: id, maxBytes: 2000 });
    expect(c.lines.at(-1)).toEqual({ n: 1001, text: "final words" });
    expect(c.truncated).toBe(true);
    expect(c.text).toMatch(/line\(s\) omitted/);
    expect(Buffer.byteLength(c.text)).toBeLessThan(2400);
  });

  it("counts distinct later errors even when they are not near the end", () => {
    const log = ["ERROR first failure", ...Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `ERROR timeout talking to cache #${i}` : `INFO ok ${i}`))].join("\n");
    const c = condenseLog(log, { evidenceId: id });
    expect(c.text).toMatch(/timeout talking to cache .*\[seen 100 times in this log\]/);
  });

  it("redacts kept lines and reports how many secrets it replaced", () => {
    const c = condenseLog("connecting to postgres://app:pa55word-x@db/orders\nERROR boom", { evidenceId: id });
    expect(c.text).toContain("postgres://app:[REDACTED:password]@db/orders");
    expect(c.redactions).toBe(1);
  });

  it("strips ANSI codes and control characters and survives invalid UTF-8", () => {
    const bytes = Buffer.concat([Buffer.from("\u001b[31mERROR\u001b[0m bad byte: "), Buffer.from([0xff, 0xfe, 0x00, 0x07]), Buffer.from("\r\nnext")]);
    const c = condenseLog(bytes.toString("utf8"), { evidenceId: id });
    expect(c.lines[0]!.text).toBe("ERROR bad byte: \ufffd\ufffd");
    expect(c.lines[1]!.text).toBe("next");
  });

  it("bounds an overlong single line", () => {
    const c = condenseLog("E".repeat(5_000_000), { evidenceId: id });
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]!.text.length).toBeLessThan(1000);
    expect(c.truncated).toBe(true);
  });

  it("keeps heap growth bounded on a 50 MB log", () => {
    const line = "2026-11-27T12:00:00.123Z INFO request handled path=/api/v1/orders status=200 duration_ms=12\n";
    const big = line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)) + "panic: runtime error: index out of range [3] with length 3\n";
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const c = condenseLog(big, { evidenceId: id });
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(c.totalBytes).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    expect(c.firstErrorLine).toBe(c.totalLines);
    expect(Buffer.byteLength(c.text)).toBeLessThanOrEqual(12_000);
    // The input alone is 50 MB; a line-array copy would add several times that.
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });

  it("keeps a log with no error to its head and tail", () => {
    const c = condenseLog("a\nb\nc", { evidenceId: id });
    expect(c.firstErrorLine).toBeUndefined();
    expect(c.lines.map((l) => l.n)).toEqual([1, 2, 3]);
    expect(c.text).toBe("1: a\n2: b\n3: c");
  });
});

describe("citeLines", () => {
  it("builds a range id", () => {
    expect(citeLines({ evidenceId: id }, 12, 30)).toBe(`${id}#L12-L30`);
    expect(citeLines({ evidenceId: id }, 7)).toBe(`${id}#L7-L7`);
  });
});
