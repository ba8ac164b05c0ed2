// A cross-process lock file: created exclusively, holding the owner's pid, so that
// vitest workers and separate processes never do the same expensive work twice.
// A lock whose owner is gone is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface LockOptions {
  log: (line: string) => void;
  /** What is being locked, for the waiting message. */
  what: string;
  pollMs?: number;
}

export async function withLock<T>(path: string, opts: LockOptions, work: () => Promise<T>): Promise<T> {
  let announced = false;
  while (!tryAcquire(path)) {
    const owner = lockOwner(path);
    if (owner !== undefined && !isAlive(owner)) {
      rmSync(path, { force: true });
      continue;
    }
    if (!announced) {
      opts.log(`waiting for the ${opts.what} of process ${owner ?? "?"} (lock ${path})…`);
      announced = true;
    }
    await sleep(opts.pollMs ?? 1000);
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

function tryAcquire(path: string): boolean {
  try {
    const fd = openSync(path, "wx");
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new Error(`could not create the lock file ${path}`, { cause: err });
  }
}

function lockOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
