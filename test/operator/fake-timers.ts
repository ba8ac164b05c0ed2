// Hand-driven time for unit tests: advance(ms) fires due timers in order.
import type { TimerHandle, Timers } from "../../src/incidents/timers.js";

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeTimers implements Timers {
  private t: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = Date.parse("2026-01-01T00:00:00Z")) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.pending.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Timers not fired yet. */
  count(): number {
    return this.pending.length;
  }

  /** Moves time forward, firing due timers (and letting promises settle between them). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
