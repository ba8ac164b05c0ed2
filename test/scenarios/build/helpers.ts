import { st, type ContainerRun, type ContainerSpec, type EventSpec } from "./k8s.js";

export const REG = "registry.example.com/shop";

export function spec(name: string, image: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name, image, resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } }, ...extra };
}

/** A container in CrashLoopBackOff whose last run ended with exitCode. */
export function crash(s: ContainerSpec, exitCode: number, opts: { reason?: string; restarts?: number; message?: string; ranSeconds?: number } = {}): ContainerRun {
  return {
    spec: s,
    state: st.crashLoop(s.name),
    lastState: { terminated: st.terminated(exitCode, opts.reason ?? (exitCode === 0 ? "Completed" : "Error"), { ranSeconds: opts.ranSeconds ?? 4, message: opts.message }) },
    restartCount: opts.restarts ?? 6,
    ready: false,
  };
}

export function running(s: ContainerSpec, restarts = 0): ContainerRun {
  return { spec: s, state: st.running(9), restartCount: restarts, ready: true };
}

export function waiting(s: ContainerSpec, reason: string, message?: string): ContainerRun {
  return { spec: s, state: st.waiting(reason, message), restartCount: 0, ready: false };
}

/** The kubelet's events for a container that keeps crashing. */
export function crashEvents(container: string, image: string, restarts = 6): EventSpec[] {
  return [
    { reason: "Scheduled", message: `Successfully assigned {ns}/{pod} to worker-1`, source: "default-scheduler", minutesAgo: 10 },
    { reason: "Pulled", message: `Container image "${image}" already present on machine`, container, count: restarts, minutesAgo: 1 },
    { reason: "Created", message: `Created container: ${container}`, container, count: restarts, minutesAgo: 1 },
    { reason: "Started", message: `Started container ${container}`, container, count: restarts, minutesAgo: 1 },
    { reason: "BackOff", message: `Back-off restarting failed container ${container} in pod {pod}_{ns}({poduid})`, container, count: restarts * 4, minutesAgo: 0 },
  ];
}

/** Lines with a timestamp prefix, one per entry, seconds apart. */
export function stamped(lines: string[], start = "2026-11-27T11:58:41", fmt: "iso" | "plain" = "iso"): string {
  const base = Date.parse(`${start}Z`);
  return lines
    .map((l, i) => {
      if (l.startsWith("\t") || l.startsWith("  ") || l.startsWith("|")) return l.replace(/^\|/, "");
      const t = new Date(base + i * 137).toISOString();
      return fmt === "iso" ? `${t} ${l}` : `${t.slice(0, 10)} ${t.slice(11, 23).replace(".", ",")} ${l}`;
    })
    .join("\n") + "\n";
}
