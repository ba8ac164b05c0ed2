// A work queue of keys in the manner of client-go's workqueue: deduplicated, one
// key processed at a time, per-key exponential backoff, delayed adds, a global
// concurrency limit and a token-bucket rate limit on starting work.
import { realTimers, type TimerHandle, type Timers } from "./timers.js";

/** An error that retrying cannot fix: the key is dropped, not backed off. */
export class TerminalError extends Error {
  override name = "TerminalError";
}

export interface ProcessResult {
  /** Process the key again after this many milliseconds (polling). */
  requeueAfterMs?: number;
}

export type Processor = (key: string, signal: AbortSignal) => Promise<ProcessResult | void>;

export interface QueueErrorInfo {
  key: string;
  error: unknown;
  /** Consecutive failures of this key, this one included. */
  attempt: number;
  retryInMs: number | undefined;
}

export interface WorkQueueOptions {
  name: string;
  process: Processor;
  /** Keys processed at once. */
  concurrency: number;
  /** First retry delay; doubles per consecutive failure. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap of the retry delay. Default 60 s. */
  maxDelayMs?: number;
  /** Consecutive failures after which a key is dropped. Default: never. */
  maxRetries?: number;
  /** Starts of work per second, with a burst. Default: unlimited. */
  rateLimit?: { perSecond: number; burst: number };
  timers?: Timers;
  onError?: (info: QueueErrorInfo) => void;
  onProcessed?: (key: string, result: "success" | "error" | "requeue", ms: number) => void;
  onDepth?: (depth: number) => void;
}

export interface ShutdownOptions {
  /** Process what is queued before stopping (true) or drop it (false). */
  drain: boolean;
  /** In-flight work still running after this is aborted and handed back. Default 30 s. */
  timeoutMs?: number;
}

export class WorkQueue {
  readonly name: string;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Map<string, AbortController>();
  private readonly waiting = new Map<string, { at: number; handle: TimerHandle }>();
  private readonly failures = new Map<string, number>();
  private readonly timers: Timers;
  private readonly bucket: TokenBucket | undefined;
  private pumpTimer: TimerHandle | undefined;
  private stopping = false;
  private drained: (() => void) | undefined;

  constructor(private readonly opts: WorkQueueOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error(`queue ${opts.name}: concurrency must be a positive integer, got ${opts.concurrency}`);
    this.name = opts.name;
    this.timers = opts.timers ?? realTimers;
    this.bucket = opts.rateLimit ? new TokenBucket(opts.rateLimit.perSecond, opts.rateLimit.burst, this.timers) : undefined;
  }

  /** Adds a key; a key already queued stays one item, a key in progress runs once more after. */
  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.depthChanged();
    this.pump();
  }

  /** Adds the key after ms; an earlier pending add wins over a later one. */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) return this.add(key);
    const at = this.timers.now() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.timers.clearTimeout(existing.handle);
    const handle = this.timers.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { at, handle });
  }

  /** Forgets the failure count of a key (its next error starts from the base delay). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Queued keys (the depth metric). */
  depth(): number {
    return this.queue.length;
  }

  /** Keys running now. */
  active(): number {
    return this.processing.size;
  }

  /** Whether the key is queued, waiting for a delayed add, or being processed. */
  has(key: string): boolean {
    return this.dirty.has(key) || this.processing.has(key) || this.waiting.has(key);
  }

  isProcessing(key: string): boolean {
    return this.processing.has(key);
  }

  /** Resolves when nothing is queued or running (delayed adds are not waited for). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.processing.size > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Stops taking work. With drain, what is queued is processed first; in-flight
   * work has until timeoutMs, then it is aborted (its processor sees the signal
   * and should leave the object as it found it, to be picked up again).
   */
  async shutdown(opts: ShutdownOptions): Promise<void> {
    this.stopping = true;
    for (const { handle } of this.waiting.values()) this.timers.clearTimeout(handle);
    this.waiting.clear();
    if (this.pumpTimer !== undefined) this.timers.clearTimeout(this.pumpTimer);
    if (!opts.drain) {
      for (const key of this.queue) this.dirty.delete(key);
      this.queue.length = 0;
      this.depthChanged();
    }
    const done = new Promise<void>((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    });
    const deadline = this.timers.setTimeout(() => {
      for (const ctl of this.processing.values()) ctl.abort(new Error(`queue ${this.name} is shutting down`));
    }, opts.timeoutMs ?? 30_000);
    await done;
    this.timers.clearTimeout(deadline);
  }

  private pump(): void {
    while (this.queue.length > 0 && this.processing.size < this.opts.concurrency) {
      const wait = this.bucket?.take() ?? 0;
      if (wait > 0) return this.pumpLater(wait);
      const key = this.queue.shift()!;
      this.dirty.delete(key);
      this.depthChanged();
      void this.run(key);
    }
  }

  private pumpLater(ms: number): void {
    if (this.pumpTimer !== undefined) return;
    this.pumpTimer = this.timers.setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, ms);
  }

  private async run(key: string): Promise<void> {
    const ctl = new AbortController();
    this.processing.set(key, ctl);
    const started = this.timers.now();
    let outcome: "success" | "error" | "requeue" = "success";
    try {
      const result = await this.opts.process(key, ctl.signal);
      this.failures.delete(key);
      if (result?.requeueAfterMs !== undefined) {
        outcome = "requeue";
        this.addAfter(key, result.requeueAfterMs);
      }
    } catch (error) {
      outcome = "error";
      this.failed(key, error, ctl.signal.aborted);
    } finally {
      this.processing.delete(key);
      this.opts.onProcessed?.(key, outcome, this.timers.now() - started);
      this.finished(key);
    }
  }

  private failed(key: string, error: unknown, aborted: boolean): void {
    const attempt = (this.failures.get(key) ?? 0) + 1;
    const giveUp = error instanceof TerminalError || aborted || (this.opts.maxRetries !== undefined && attempt > this.opts.maxRetries);
    const retryInMs = giveUp ? undefined : this.backoff(attempt);
    this.opts.onError?.({ key, error, attempt, retryInMs });
    if (retryInMs === undefined) {
      this.failures.delete(key);
      return;
    }
    this.failures.set(key, attempt);
    this.addAfter(key, retryInMs);
  }

  private backoff(attempt: number): number {
    const base = this.opts.baseDelayMs ?? 100;
    const cap = this.opts.maxDelayMs ?? 60_000;
    return Math.min(cap, base * 2 ** Math.min(attempt - 1, 30));
  }

  private finished(key: string): void {
    if (this.dirty.has(key) && !this.queue.includes(key)) {
      this.queue.push(key);
      this.depthChanged();
    }
    this.pump();
    this.checkDrained();
  }

  private checkDrained(): void {
    if (!this.stopping || this.processing.size > 0 || this.queue.length > 0) return;
    this.drained?.();
  }

  private depthChanged(): void {
    this.opts.onDepth?.(this.queue.length);
  }
}

/** Tokens refill continuously at perSecond up to burst; take() returns the wait in ms (0 when a token was taken). */
class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly timers: Timers,
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error(`rate limit needs perSecond > 0 and burst ≥ 1, got ${perSecond}/${burst}`);
    this.tokens = burst;
    this.last = timers.now();
  }

  take(): number {
    const now = this.timers.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }
}
