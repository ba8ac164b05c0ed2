import { describe, expect, it } from "vitest";
import { CORPUS, HARMLESS_CASES, SECRET_CASES, scoreRedaction } from "./redact.corpus.js";
import { looksSecretName, redact, redactValue } from "./redact.js";

describe("redaction corpus", () => {
  it("holds at least 50 secret shapes and 50 harmless look-alikes", () => {
    expect(SECRET_CASES.length).toBeGreaterThanOrEqual(50);
    expect(HARMLESS_CASES.length).toBeGreaterThanOrEqual(50);
  });

  it("reaches recall and precision of at least 0.98", () => {
    const score = scoreRedaction(CORPUS);
    expect(score.falseNegatives).toEqual([]);
    expect(score.falsePositives).toEqual([]);
    expect(score.recall).toBeGreaterThanOrEqual(0.98);
    expect(score.precision).toBeGreaterThanOrEqual(0.98);
  });
});

describe("redact", () => {
  it("keeps the user of a URL and replaces only the password", () => {
    const r = redact("postgres://app:s3cretPassw0rd@db:5432/orders");
    expect(r.text).toBe("postgres://app:[REDACTED:password]@db:5432/orders");
    expect(r.count).toBe(1);
  });

  it("keeps the key and the quotes of a JSON pair", () => {
    expect(redact('{"password":"hunter2hunter2"}').text).toBe('{"password":"[REDACTED:secret]"}');
  });

  it("replaces a multi-line private key as one secret", () => {
    const key = ["-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA1x9", "abc/def+ghi==", "-----END RSA PRIVATE KEY-----"].join("\n");
    const r = redact(`before\n${key}\nafter`);
    expect(r.text).toBe("before\n[REDACTED:private-key]\nafter");
    expect(r.count).toBe(1);
  });

  it("is idempotent: redacting twice changes nothing more", () => {
    const once = redact("token=abcdefghij1234567890XYZ Authorization: Bearer aB3dE5gH7jK9mN1pQ3sT");
    const twice = redact(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.count).toBe(0);
  });

  it("returns the empty string unchanged", () => {
    expect(redact("")).toEqual({ text: "", count: 0 });
  });
});

describe("looksSecretName", () => {
  it.each(["DB_PASSWORD", "PGPASSWORD", "apiKey", "STRIPE_SECRET_KEY", "client-secret", "AUTH_TOKEN", "SESSION_ID", "dbPassword", "SENTRY_DSN"])(
    "%s looks secret",
    (name) => expect(looksSecretName(name)).toBe(true),
  );
  it.each(["DATABASE_HOST", "secretName", "PASSWORD_FILE", "TOKEN_URL", "LOG_LEVEL", "secretKeyRef", "tokenExpirationSeconds", "MAX_TOKENS", "PORT"])(
    "%s does not",
    (name) => expect(looksSecretName(name)).toBe(false),
  );
});

describe("redactValue", () => {
  it("redacts strings deeply, values under secret keys, and env pairs with secret names", () => {
    const input = {
      env: [
        { name: "DB_PASSWORD", value: "plain" },
        { name: "DB_HOST", value: "db.shop.svc" },
        { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "api", key: "token" } } },
      ],
      data: { apiKey: "abc", note: "url postgres://u:pw12345@h/db" },
      secretName: "tls-cert",
      replicas: 3,
    };
    const r = redactValue(input);
    expect(r.value.env[0]).toEqual({ name: "DB_PASSWORD", value: "[REDACTED:secret]" });
    expect(r.value.env[1]).toEqual({ name: "DB_HOST", value: "db.shop.svc" });
    expect(r.value.env[2]).toEqual(input.env[2]);
    expect(r.value.data.apiKey).toBe("[REDACTED:secret]");
    expect(r.value.data.note).toBe("url postgres://u:[REDACTED:password]@h/db");
    expect(r.value.secretName).toBe("tls-cert");
    expect(r.value.replicas).toBe(3);
    expect(r.count).toBe(3);
    expect(input.env[0]!.value).toBe("plain");
  });
});
