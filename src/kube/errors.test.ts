import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { isAlreadyExists, isConflict, isGone, isNotFound, isRetryable, KubeHttpError, statusOf } from "./errors.js";

const api = (code: number, reason?: string): ApiException<string> =>
  new ApiException(code, "x", reason ? JSON.stringify({ kind: "Status", reason, code }) : "", {});

describe("API error classification", () => {
  it("reads the status of ApiException, KubeHttpError and wrapped errors", () => {
    expect(statusOf(api(404))).toBe(404);
    expect(statusOf(new KubeHttpError("gone", 410))).toBe(410);
    expect(statusOf(new Error("could not read shop/web-1", { cause: api(409) }))).toBe(409);
    expect(statusOf(new Error("plain"))).toBeUndefined();
    expect(statusOf(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBeUndefined();
  });

  it("tells conflicts from already-exists by the Status reason", () => {
    expect(isConflict(api(409, "Conflict"))).toBe(true);
    expect(isAlreadyExists(api(409, "Conflict"))).toBe(false);
    expect(isAlreadyExists(api(409, "AlreadyExists"))).toBe(true);
    expect(isConflict(api(409, "AlreadyExists"))).toBe(false);
    expect(isAlreadyExists(new Error("wrapped", { cause: api(409, "AlreadyExists") }))).toBe(true);
  });

  it("classifies 404, 410 and retryable errors", () => {
    expect(isNotFound(api(404))).toBe(true);
    expect(isGone(api(410))).toBe(true);
    expect(isRetryable(api(429))).toBe(true);
    expect(isRetryable(api(503))).toBe(true);
    expect(isRetryable(api(400))).toBe(false);
    expect(isRetryable(new Error("x", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }))).toBe(true);
    expect(isRetryable(new DOMException("timeout", "TimeoutError"))).toBe(true);
    expect(isRetryable(new Error("bug"))).toBe(false);
  });
});
