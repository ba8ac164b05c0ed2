import { describe, expect, it } from "vitest";
import { backOffSeconds, goDuration, imageId } from "./pod-status.js";

describe("pod status helpers", () => {
  it("doubles the crash-loop back-off from 10s up to 5m0s, printed like Go", () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => goDuration(backOffSeconds(n)))).toEqual(["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"]);
  });

  it("names image ids by registry and digest", () => {
    expect(imageId("nginx:1.25")).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(imageId("ghcr.io/acme/api:v2")).toMatch(/^ghcr\.io\/acme\/api@sha256:/);
  });
});
