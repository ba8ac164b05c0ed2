// Leader election on a coordination.k8s.io/v1 Lease (client-go's semantics):
// acquire when the lease is free or expired (renewTime + leaseDuration < now),
// renew every retry period, give up when renewing fails for longer than the renew
// deadline, release on graceful stop. Writes use the Lease's resourceVersion, so
// two candidates can never both win one round.
import { V1MicroTime, type V1Lease } from "@kubernetes/client-node";
import { abortableDelay } from "./backoff.js";
import type { KubeClients } from "./clients.js";
import { isConflict, isNotFound } from "./errors.js";
import type { Logger } from "../telemetry/logger.js";

export interface LeaderElectorOptions {
  clients: KubeClients;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewDeadlineSeconds?: number;
  retryPeriodSeconds?: number;
  clock?: () => Date;
  logger: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  /** Tests: the wait between attempts. */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export class LeaderElector {
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private leading = false;
  private abort = new AbortController();
  private running: Promise<void> | undefined;
  /** The Lease as last read or written by this elector. */
  private lease: V1Lease | undefined;

  constructor(private readonly opts: LeaderElectorOptions) {
    this.leaseDurationSeconds = opts.leaseDurationSeconds ?? 15;
    const renewDeadlineSeconds = opts.renewDeadlineSeconds ?? 10;
    const retryPeriodSeconds = opts.retryPeriodSeconds ?? 2;
    if (!opts.identity) throw new Error("leader election needs a non-empty identity");
    if (this.leaseDurationSeconds <= renewDeadlineSeconds) throw new Error(`leaseDurationSeconds (${this.leaseDurationSeconds}) must be greater than renewDeadlineSeconds (${renewDeadlineSeconds})`);
    if (renewDeadlineSeconds <= retryPeriodSeconds) throw new Error(`renewDeadlineSeconds (${renewDeadlineSeconds}) must be greater than retryPeriodSeconds (${retryPeriodSeconds})`);
    this.renewDeadlineMs = renewDeadlineSeconds * 1000;
    this.retryPeriodMs = retryPeriodSeconds * 1000;
    this.clock = opts.clock ?? ((): Date => new Date());
    this.logger = opts.logger.child({ lease: `${opts.namespace}/${opts.name}`, identity: opts.identity });
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Campaigns, leads, and campaigns again after losing the lease, until stop(). */
  run(): Promise<void> {
    if (this.running) return this.running;
    this.abort = new AbortController();
    this.running = this.loop(this.abort.signal).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops campaigning; with release (the default) a held Lease is freed at once for the next candidate. */
  async stop(opts: { release: boolean } = { release: true }): Promise<void> {
    this.abort.abort(new Error("leader election stopped"));
    await this.running;
    if (!this.leading) return;
    if (opts.release) await this.release();
    this.setLeading(false);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.acquire(signal);
      if (signal.aborted) return;
      await this.renewLoop(signal);
    }
  }

  private async acquire(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (await this.attempt()) {
        this.logger.info("acquired the leader lease");
        this.setLeading(true);
        return;
      }
      await this.wait(jittered(this.retryPeriodMs), signal);
    }
  }

  private async renewLoop(signal: AbortSignal): Promise<void> {
    let lastRenew = this.clock().getTime();
    while (!signal.aborted) {
      await this.wait(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      if (await this.attempt()) {
        lastRenew = this.clock().getTime();
        continue;
      }
      if (this.clock().getTime() - lastRenew > this.renewDeadlineMs || !this.heldByMe()) {
        this.logger.warn("lost the leader lease (could not renew it within the renew deadline)");
        this.setLeading(false);
        return;
      }
    }
  }

  /** One try to acquire or renew; false when another holder has a valid lease or the write failed. */
  private async attempt(): Promise<boolean> {
    try {
      return await withTimeout(this.tryAcquireOrRenew(), this.renewDeadlineMs);
    } catch (err) {
      const level = isConflict(err) ? "debug" : "warn";
      this.logger[level]({ err }, "could not acquire or renew the leader lease");
      return false;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { coordination } = this.opts.clients;
    const { namespace, name } = this.opts;
    const now = this.clock();
    let current: V1Lease;
    try {
      current = await coordination.readNamespacedLease({ namespace, name });
    } catch (err) {
      if (!isNotFound(err)) throw new Error(`could not read Lease ${namespace}/${name}`, { cause: err });
      this.lease = await coordination.createNamespacedLease({ namespace, body: this.leaseBody(undefined, now) });
      return true;
    }
    this.lease = current;
    if (!this.heldByMe() && !expired(current, now)) return false;
    this.lease = await coordination.replaceNamespacedLease({ namespace, name, body: this.leaseBody(current, now) });
    return true;
  }

  private leaseBody(current: V1Lease | undefined, now: Date): V1Lease {
    const spec = current?.spec ?? {};
    const mine = spec.holderIdentity === this.opts.identity;
    const transitions = spec.leaseTransitions ?? 0;
    return {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { ...(current?.metadata ?? {}), name: this.opts.name, namespace: this.opts.namespace, managedFields: undefined },
      spec: {
        holderIdentity: this.opts.identity,
        leaseDurationSeconds: this.leaseDurationSeconds,
        acquireTime: mine && spec.acquireTime ? spec.acquireTime : micro(now),
        renewTime: micro(now),
        leaseTransitions: current && !mine && spec.holderIdentity ? transitions + 1 : transitions,
      },
    };
  }

  private async release(): Promise<void> {
    const { namespace, name } = this.opts;
    const lease = this.lease;
    if (!lease || !this.heldByMe()) return;
    const now = this.clock();
    const body: V1Lease = {
      ...lease,
      metadata: { ...lease.metadata, managedFields: undefined },
      spec: { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1, renewTime: micro(now), acquireTime: micro(now) },
    };
    try {
      await this.opts.clients.coordination.replaceNamespacedLease({ namespace, name, body });
      this.logger.info("released the leader lease");
    } catch (err) {
      this.logger.warn({ err }, "could not release the leader lease; the next candidate takes over when it expires");
    }
  }

  private heldByMe(): boolean {
    return this.lease?.spec?.holderIdentity === this.opts.identity;
  }

  private setLeading(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    try {
      if (leading) this.opts.onStartedLeading();
      else this.opts.onStoppedLeading();
    } catch (err) {
      this.logger.error({ err }, "leader election callback threw");
    }
  }

  private async wait(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await (this.opts.delay ?? abortableDelay)(ms, signal);
    } catch {
      // stopped
    }
  }
}

/** True when the lease has no holder or its holder stopped renewing: renewTime + leaseDuration < now. */
export function expired(lease: V1Lease, now: Date): boolean {
  const spec = lease.spec;
  if (!spec?.holderIdentity) return true;
  const renew = spec.renewTime ?? spec.acquireTime;
  if (!renew) return true;
  const renewMs = new Date(renew as unknown as string | Date).getTime();
  return renewMs + (spec.leaseDurationSeconds ?? 0) * 1000 < now.getTime();
}

function micro(d: Date): V1MicroTime {
  return new V1MicroTime(d.getTime());
}

function jittered(ms: number): number {
  return Math.round(ms * (1 + Math.random() * 0.2));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lease request timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
