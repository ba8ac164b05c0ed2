import { describe, expect, it } from "vitest";
import { FakeTimers, flush } from "../../test/operator/fake-timers.js";
import { TerminalError, WorkQueue, type QueueErrorInfo } from "./queue.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("WorkQueue", () => {
  it("deduplicates a key added while queued", async () => {
    const seen: string[] = [];
    const hold = gate();
    const q = new WorkQueue({ name: "t", concurrency: 1, timers: new FakeTimers(), process: async (k) => { seen.push(k); if (k === "x") await hold.promise; } });
    q.add("x");
    q.add("a");
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.depth()).toBe(2);
    hold.open();
    await q.idle();
    expect(seen).toEqual(["x", "a", "b"]);
  });

  it("re-queues once a key added while it is processed, never running it twice at once", async () => {
    const hold = gate();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const q = new WorkQueue({
      name: "t", concurrency: 4, timers: new FakeTimers(),
      process: async () => {
        running++;
        runs++;
        maxRunning = Math.max(maxRunning, running);
        if (runs === 1) await hold.promise;
        running--;
      },
    });
    q.add("a");
    await flush();
    q.add("a");
    q.add("a");
    expect(q.depth()).toBe(0);
    hold.open();
    await q.idle();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it("limits concurrency across keys", async () => {
    const holds = [gate(), gate(), gate()];
    let running = 0;
    let i = 0;
    const q = new WorkQueue({ name: "t", concurrency: 2, timers: new FakeTimers(), process: async () => { running++; await holds[i++]!.promise; running--; } });
    q.add("a");
    q.add("b");
    q.add("c");
    await flush();
    expect(running).toBe(2);
    expect(q.depth()).toBe(1);
    holds[0]!.open();
    await flush();
    expect(running).toBe(2);
    holds[1]!.open();
    holds[2]!.open();
    await q.idle();
    expect(running).toBe(0);
  });

  it("backs off exponentially per key up to the cap and forgets on success", async () => {
    const timers = new FakeTimers();
    const errors: QueueErrorInfo[] = [];
    let calls = 0;
    const q = new WorkQueue({
      name: "t", concurrency: 1, timers, baseDelayMs: 100, maxDelayMs: 500, onError: (e) => errors.push(e),
      process: async () => {
        calls++;
        if (calls <= 5) throw new Error("boom");
      },
    });
    q.add("a");
    await timers.advance(10_000);
    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200, 400, 500, 500]);
    expect(calls).toBe(6);
    expect(q.has("a")).toBe(false);
  });

  it("does not retry terminal errors and gives up after maxRetries", async () => {
    const timers = new FakeTimers();
    const errors: QueueErrorInfo[] = [];
    let calls = 0;
    const q = new WorkQueue({
      name: "t", concurrency: 1, timers, maxRetries: 2, onError: (e) => errors.push(e),
      process: async (k) => {
        calls++;
        throw k === "t" ? new TerminalError("no") : new Error("again");
      },
    });
    q.add("t");
    await timers.advance(60_000);
    expect(calls).toBe(1);
    q.add("r");
    await timers.advance(60_000);
    expect(calls).toBe(1 + 3);
    expect(errors.at(-1)?.retryInMs).toBeUndefined();
  });

  it("requeues after the requested delay, the earliest delayed add winning", async () => {
    const timers = new FakeTimers();
    const seen: number[] = [];
    const q = new WorkQueue({ name: "t", concurrency: 1, timers, process: async () => { seen.push(timers.now()); } });
    const t0 = timers.now();
    q.addAfter("a", 1000);
    q.addAfter("a", 300);
    q.addAfter("a", 2000);
    await timers.advance(5000);
    expect(seen.map((t) => t - t0)).toEqual([300]);
  });

  it("rate-limits starts with a token bucket", async () => {
    const timers = new FakeTimers();
    const seen: number[] = [];
    const q = new WorkQueue({ name: "t", concurrency: 10, timers, rateLimit: { perSecond: 2, burst: 2 }, process: async () => { seen.push(timers.now()); } });
    const t0 = timers.now();
    for (const k of ["a", "b", "c", "d"]) q.add(k);
    await timers.advance(3000);
    expect(seen.map((t) => t - t0)).toEqual([0, 0, 500, 1000]);
  });

  it("drains on shutdown and stops taking work", async () => {
    const seen: string[] = [];
    const q = new WorkQueue({ name: "t", concurrency: 1, process: async (k) => void seen.push(k) });
    q.add("a");
    q.add("b");
    await q.shutdown({ drain: true });
    q.add("c");
    await flush();
    expect(seen).toEqual(["a", "b"]);
  });

  it("aborts in-flight work at the shutdown deadline and drops the queue without drain", async () => {
    const timers = new FakeTimers();
    const seen: string[] = [];
    let aborted = false;
    const q = new WorkQueue({
      name: "t", concurrency: 1, timers,
      process: (k, signal) => {
        seen.push(k);
        return new Promise((_, reject) => signal.addEventListener("abort", () => { aborted = true; reject(signal.reason); }));
      },
    });
    q.add("a");
    q.add("b");
    await flush();
    const done = q.shutdown({ drain: false, timeoutMs: 1000 });
    await timers.advance(1000);
    await done;
    expect(aborted).toBe(true);
    expect(seen).toEqual(["a"]);
    expect(q.has("a")).toBe(false);
  });

  it("reports its depth", async () => {
    const depths: number[] = [];
    const hold = gate();
    const q = new WorkQueue({ name: "t", concurrency: 1, onDepth: (d) => depths.push(d), process: () => hold.promise });
    q.add("a");
    q.add("b");
    q.add("c");
    expect(q.depth()).toBe(2);
    hold.open();
    await q.idle();
    expect(depths.at(-1)).toBe(0);
  });
});
