import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./breaker.js";

describe("CircuitBreaker", () => {
  it("opens after consecutive failures, lets one trial through after the pause, and closes on success", () => {
    let t = 0;
    const b = new CircuitBreaker({ threshold: 3, openMs: 10_000, now: () => t });
    b.failure();
    b.failure();
    expect(b.refusal()).toBeUndefined();
    b.failure();
    expect(b.state()).toBe("open");
    expect(b.refusal()).toMatch(/open after 3 consecutive failures; calls resume in 10s/);
    t = 10_000;
    expect(b.state()).toBe("half-open");
    expect(b.refusal()).toBeUndefined();
    expect(b.refusal()).toBeDefined();
    b.failure();
    expect(b.state()).toBe("open");
    t = 20_000;
    expect(b.refusal()).toBeUndefined();
    b.success();
    expect(b.state()).toBe("closed");
  });

  it("a success resets the count", () => {
    const b = new CircuitBreaker({ threshold: 2, openMs: 1000, now: () => 0 });
    b.failure();
    b.success();
    b.failure();
    expect(b.state()).toBe("closed");
    expect(() => new CircuitBreaker({ threshold: 0, openMs: 1 })).toThrow(/at least 1/);
  });
});
