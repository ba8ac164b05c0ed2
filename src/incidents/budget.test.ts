import { describe, expect, it } from "vitest";
import { FakeTimers } from "../../test/operator/fake-timers.js";
import { InvestigationBudget } from "./budget.js";

describe("InvestigationBudget", () => {
  it("allows N per sliding hour, then says why not", async () => {
    const timers = new FakeTimers();
    const budget = new InvestigationBudget(2, timers);
    expect(budget.take()).toEqual({ allowed: true });
    await timers.advance(30 * 60_000);
    expect(budget.take()).toEqual({ allowed: true });
    expect(budget.take()).toEqual({ allowed: false, reason: "hourly investigation budget of 2 reached" });
    await timers.advance(30 * 60_000);
    expect(budget.remaining()).toBe(1);
    expect(budget.take().allowed).toBe(true);
  });

  it("with 0 allows none and rejects a bad limit", () => {
    expect(new InvestigationBudget(0).take().allowed).toBe(false);
    expect(() => new InvestigationBudget(-1)).toThrow(/non-negative/);
  });
});
