// The cAdvisor series the fake kubelet serves on /metrics/cadvisor, in the
// Prometheus text format with cAdvisor's names, help texts and labels.

export interface ContainerMetrics {
  namespace: string;
  pod: string;
  container: string;
  image?: string;
  memoryWorkingSetBytes?: number;
  memoryRssBytes?: number;
  memoryLimitBytes?: number;
  cpuUsageSecondsTotal?: number;
  cpuQuota?: number;
  cpuPeriodsTotal?: number;
  cpuThrottledPeriodsTotal?: number;
  oomEventsTotal?: number;
}

type Field = Exclude<keyof ContainerMetrics, "namespace" | "pod" | "container" | "image">;

const SERIES: Array<{ field: Field; name: string; type: "gauge" | "counter"; help: string }> = [
  { field: "cpuUsageSecondsTotal", name: "container_cpu_usage_seconds_total", type: "counter", help: "Cumulative cpu time consumed in seconds." },
  { field: "cpuPeriodsTotal", name: "container_cpu_cfs_periods_total", type: "counter", help: "Number of elapsed enforcement period intervals." },
  { field: "cpuThrottledPeriodsTotal", name: "container_cpu_cfs_throttled_periods_total", type: "counter", help: "Number of throttled period intervals." },
  { field: "memoryWorkingSetBytes", name: "container_memory_working_set_bytes", type: "gauge", help: "Current working set in bytes." },
  { field: "memoryRssBytes", name: "container_memory_rss", type: "gauge", help: "Size of RSS in bytes." },
  { field: "oomEventsTotal", name: "container_oom_events_total", type: "counter", help: "Count of out of memory events observed for the container" },
  { field: "cpuQuota", name: "container_spec_cpu_quota", type: "gauge", help: "CPU quota of the container." },
  { field: "memoryLimitBytes", name: "container_spec_memory_limit_bytes", type: "gauge", help: "Memory limit for the container." },
];

export class MetricsStore {
  private readonly metrics = new Map<string, ContainerMetrics>();

  /** Sets (merges into) the series of one container. */
  set(m: ContainerMetrics): void {
    const k = `${m.namespace}/${m.pod}/${m.container}`;
    this.metrics.set(k, { ...this.metrics.get(k), ...m });
  }

  delete(namespace: string, pod: string): void {
    for (const [k, m] of this.metrics) if (m.namespace === namespace && m.pod === pod) this.metrics.delete(k);
  }

  render(): string {
    const all = [...this.metrics.values()];
    const out: string[] = [];
    for (const s of SERIES) {
      const rows = all.filter((m) => m[s.field] !== undefined);
      if (rows.length === 0) continue;
      out.push(`# HELP ${s.name} ${s.help}`, `# TYPE ${s.name} ${s.type}`);
      for (const m of rows) out.push(`${s.name}{${labels(m)}} ${m[s.field]}`);
    }
    return out.length ? `${out.join("\n")}\n` : "";
  }
}

function labels(m: ContainerMetrics): string {
  const id = `/kubepods/pod-${m.namespace}-${m.pod}/${m.container}`;
  const pairs: Array<[string, string]> = [
    ["container", m.container],
    ["id", id],
    ["image", m.image ?? ""],
    ["name", `${m.pod}_${m.container}`],
    ["namespace", m.namespace],
    ["pod", m.pod],
  ];
  return pairs.map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",");
}
