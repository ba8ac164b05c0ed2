// The hourly budget of full investigations. Past it, incidents are still created
// and diagnosed, by the triage rules alone, and the diagnosis says why. The agent
// keeps its own token and cost budget per day (src/diagnosis).
import { realTimers, type Timers } from "./timers.js";

const HOUR_MS = 3_600_000;

export type BudgetDecision = { allowed: true } | { allowed: false; reason: string };

export class InvestigationBudget {
  private readonly starts: number[] = [];

  /** perHour 0 means every investigation is rules only. */
  constructor(
    private readonly perHour: number,
    private readonly timers: Timers = realTimers,
  ) {
    if (!Number.isInteger(perHour) || perHour < 0) throw new Error(`investigations per hour must be a non-negative integer, got ${perHour}`);
  }

  /** Takes one investigation from the sliding hour, or says why not. */
  take(): BudgetDecision {
    this.prune();
    if (this.starts.length >= this.perHour) {
      return { allowed: false, reason: `hourly investigation budget of ${this.perHour} reached` };
    }
    this.starts.push(this.timers.now());
    return { allowed: true };
  }

  /** Investigations left in the current hour. */
  remaining(): number {
    this.prune();
    return Math.max(0, this.perHour - this.starts.length);
  }

  private prune(): void {
    const since = this.timers.now() - HOUR_MS;
    while (this.starts.length > 0 && this.starts[0]! <= since) this.starts.shift();
  }
}
