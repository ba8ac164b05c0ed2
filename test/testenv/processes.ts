// Child processes of the test environment run in their own process group and are
// killed when this process exits, is interrupted or crashes, so no apiserver or
// etcd outlives a failed test. (The control plane also exits when its parent dies.)
import type { ChildProcess } from "node:child_process";

const groups = new Set<number>();
let installed = false;

function killAll(signal: NodeJS.Signals): void {
  for (const pid of groups) killGroup(pid, signal);
}

export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", () => killAll("SIGKILL"));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll("SIGKILL");
      // Keep the default behaviour (terminate) unless the program handles the signal itself.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** Tracks a child started with `detached: true` (its own process group). */
export function track(child: ChildProcess): void {
  if (child.pid === undefined) return;
  install();
  groups.add(child.pid);
  child.once("exit", () => {
    if (child.pid !== undefined) groups.delete(child.pid);
  });
}

/** SIGTERM to the group, SIGKILL after graceMs; resolves when the child has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(pid, "SIGTERM");
  const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  killGroup(pid, "SIGKILL");
  groups.delete(pid);
}

/** Resident set size of a process in bytes (Linux /proc), or undefined. */
export async function rssBytes(pid: number): Promise<number | undefined> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
