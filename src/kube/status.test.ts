import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { updateStatusWithRetry } from "./status.js";

interface Obj {
  rv: number;
  count: number;
}

const conflict = (): ApiException<string> => new ApiException(409, "conflict", JSON.stringify({ reason: "Conflict" }), {});

describe("updateStatusWithRetry", () => {
  it("re-reads and re-applies the mutation after a conflict", async () => {
    const stored: Obj = { rv: 1, count: 0 };
    let gets = 0;
    const result = await updateStatusWithRetry<Obj>({
      get: async () => {
        gets++;
        const read = { ...stored };
        if (gets === 1) Object.assign(stored, { rv: 2, count: 5 }); // another writer lands after our read
        return read;
      },
      mutate: (cur) => ({ ...cur, count: cur.count + 1 }),
      replaceStatus: async (next) => {
        if (next.rv !== stored.rv) throw conflict();
        Object.assign(stored, next, { rv: next.rv + 1 });
        return { ...stored };
      },
    });
    expect(gets).toBe(2);
    expect(result).toEqual({ rv: 3, count: 6 });
  });

  it("returns undefined without writing when the mutation changes nothing", async () => {
    let writes = 0;
    const result = await updateStatusWithRetry<Obj>({
      get: async () => ({ rv: 1, count: 1 }),
      mutate: () => undefined,
      replaceStatus: async (n) => {
        writes++;
        return n;
      },
    });
    expect(result).toBeUndefined();
    expect(writes).toBe(0);
  });

  it("gives up after the attempts and rethrows other errors at once", async () => {
    const always = updateStatusWithRetry<Obj>({ get: async () => ({ rv: 1, count: 0 }), mutate: (c) => c, replaceStatus: async () => { throw conflict(); }, attempts: 3 });
    await expect(always).rejects.toThrow("status update still conflicted after 3 attempts");
    let writes = 0;
    const other = updateStatusWithRetry<Obj>({
      get: async () => ({ rv: 1, count: 0 }),
      mutate: (c) => c,
      replaceStatus: async () => {
        writes++;
        throw new ApiException(422, "invalid", "", {});
      },
    });
    await expect(other).rejects.toThrow("HTTP-Code: 422");
    expect(writes).toBe(1);
  });
});
