export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  threshold: number;
  /** How long it stays open before one trial call is let through. */
  openMs: number;
  now?: () => number;
}

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Stops calling the API for a while after repeated failures. Closed: calls go
 * through. After `threshold` consecutive failures: open, calls are refused
 * until `openMs` has passed. Then half-open: one trial call; its success
 * closes the breaker, its failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly opts: BreakerOptions) {
    if (opts.threshold < 1) throw new Error(`circuit breaker threshold must be at least 1, got ${opts.threshold}`);
    this.now = opts.now ?? Date.now;
  }

  state(): BreakerState {
    if (this.openedAt === undefined) return "closed";
    return this.now() - this.openedAt >= this.opts.openMs ? "half-open" : "open";
  }

  /** Whether a call may be made now; undefined when it may, else why not. */
  refusal(): string | undefined {
    const state = this.state();
    if (state === "closed") return undefined;
    if (state === "half-open" && !this.trialInFlight) {
      this.trialInFlight = true;
      return undefined;
    }
    const waitS = Math.max(0, Math.ceil((this.opts.openMs - (this.now() - (this.openedAt ?? 0))) / 1000));
    return `the Anthropic API circuit breaker is open after ${this.failures} consecutive failures; calls resume in ${waitS}s`;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.failures >= this.opts.threshold || this.openedAt !== undefined) this.openedAt = this.now();
  }
}
