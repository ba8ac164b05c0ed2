import { describe, expect, it } from "vitest";
import { abortableDelay, backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  const opts = { initialMs: 100, maxMs: 1000 };
  it("doubles per attempt up to the maximum, jittered into [base/2, base]", () => {
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, opts, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, opts, () => 0))).toEqual([50, 100, 200]);
  });

  it("abortableDelay rejects when the signal aborts", async () => {
    const ctl = new AbortController();
    const p = abortableDelay(60_000, ctl.signal);
    ctl.abort(new Error("stopped"));
    await expect(p).rejects.toThrow("stopped");
  });
});
