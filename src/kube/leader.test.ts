import { ApiException, type V1Lease } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { createLogger } from "../telemetry/logger.js";
import type { KubeClients } from "./clients.js";
import { expired, LeaderElector } from "./leader.js";

const logger = createLogger({ level: "silent" });

/** An in-memory Lease API with resourceVersion checks, and a switch to make it fail. */
class FakeLeases {
  lease: V1Lease | undefined;
  rv = 0;
  failing = false;

  private check(): void {
    if (this.failing) throw new ApiException(503, "unavailable", "", {});
  }

  clients(): KubeClients {
    return {
      coordination: {
        readNamespacedLease: async () => {
          this.check();
          if (!this.lease) throw new ApiException(404, "not found", "", {});
          return structuredClone(this.lease);
        },
        createNamespacedLease: async ({ body }: { body: V1Lease }) => {
          this.check();
          if (this.lease) throw new ApiException(409, "exists", JSON.stringify({ reason: "AlreadyExists" }), {});
          this.lease = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
          return structuredClone(this.lease);
        },
        replaceNamespacedLease: async ({ body }: { body: V1Lease }) => {
          this.check();
          if (body.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) throw new ApiException(409, "conflict", JSON.stringify({ reason: "Conflict" }), {});
          this.lease = { ...structuredClone(body), metadata: { ...body.metadata, resourceVersion: String(++this.rv) } };
          return structuredClone(this.lease);
        },
      },
    } as unknown as KubeClients;
  }
}

function elector(leases: FakeLeases, identity: string, clock: { now: number }, log: string[]): LeaderElector {
  return new LeaderElector({
    clients: leases.clients(), namespace: "pf", name: "pf", identity, logger,
    clock: () => new Date(clock.now),
    delay: async (ms) => {
      clock.now += ms;
      await new Promise((r) => setImmediate(r));
    },
    onStartedLeading: () => log.push(`${identity} started`),
    onStoppedLeading: () => log.push(`${identity} stopped`),
  });
}

const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 5000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error("condition not reached");
};

describe("LeaderElector", () => {
  it("validates its timings", () => {
    const base = { clients: {} as KubeClients, namespace: "n", name: "l", identity: "a", logger, onStartedLeading: () => undefined, onStoppedLeading: () => undefined };
    expect(() => new LeaderElector({ ...base, leaseDurationSeconds: 10, renewDeadlineSeconds: 10 })).toThrow("must be greater than renewDeadlineSeconds");
    expect(() => new LeaderElector({ ...base, renewDeadlineSeconds: 2, retryPeriodSeconds: 2 })).toThrow("must be greater than retryPeriodSeconds");
    expect(() => new LeaderElector({ ...base, identity: "" })).toThrow("non-empty identity");
  });

  it("judges expiry from renewTime + leaseDuration", () => {
    const lease = (holder?: string): V1Lease => ({ spec: { holderIdentity: holder, renewTime: new Date(10_000) as never, leaseDurationSeconds: 15 } });
    expect(expired(lease("a"), new Date(24_000))).toBe(false);
    expect(expired(lease("a"), new Date(25_001))).toBe(true);
    expect(expired(lease(undefined), new Date(0))).toBe(true);
  });

  it("acquires, renews, and steps down when renewing fails past the renew deadline", async () => {
    const leases = new FakeLeases();
    const clock = { now: 1_000_000 };
    const log: string[] = [];
    const a = elector(leases, "a", clock, log);
    const run = a.run();
    await until(() => a.isLeader());
    expect(leases.lease?.spec?.holderIdentity).toBe("a");
    const renewedAt = clock.now;
    await until(() => clock.now > renewedAt + 6_000);
    expect(new Date(leases.lease!.spec!.renewTime as unknown as string).getTime()).toBeGreaterThan(renewedAt);
    leases.failing = true;
    const failedAt = clock.now;
    await until(() => !a.isLeader());
    expect(clock.now - failedAt).toBeGreaterThan(10_000);
    expect(log).toEqual(["a started", "a stopped"]);
    leases.failing = false;
    await until(() => a.isLeader());
    await a.stop();
    await run;
    expect(leases.lease?.spec?.holderIdentity).toBeUndefined();
    expect(leases.lease?.spec?.leaseDurationSeconds).toBe(1);
    expect(log).toEqual(["a started", "a stopped", "a started", "a stopped"]);
  });

  it("a second candidate waits for expiry and counts the transition", async () => {
    const leases = new FakeLeases();
    const clock = { now: 1_000_000 };
    const log: string[] = [];
    const a = elector(leases, "a", clock, log);
    const runA = a.run();
    await until(() => a.isLeader());
    await a.stop({ release: false });
    await runA;
    expect(leases.lease?.spec?.holderIdentity).toBe("a");
    const b = elector(leases, "b", clock, log);
    const stoppedAt = clock.now;
    const runB = b.run();
    await until(() => b.isLeader());
    expect(clock.now - stoppedAt).toBeGreaterThanOrEqual(15_000);
    expect(leases.lease?.spec?.holderIdentity).toBe("b");
    expect(leases.lease?.spec?.leaseTransitions).toBe(1);
    await b.stop();
    await runB;
  });
});
