const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Parses a Kubernetes quantity ("256Mi", "1.5Gi", "500m", "2") into a number; undefined when it is not one. */
export function parseQuantity(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)([a-zA-Z]{0,2})$/.exec(q.trim());
  const factor = m ? SUFFIX[m[2]!] : undefined;
  if (!m || factor === undefined) return undefined;
  return Number(m[1]) * factor;
}

/** Bytes as a binary quantity rounded up to a whole Mi or Gi: 536870912 → "512Mi". */
export function formatBytes(bytes: number): string {
  const mi = bytes / 1024 ** 2;
  if (mi >= 1024 && Number.isInteger(mi / 1024)) return `${mi / 1024}Gi`;
  return `${Math.ceil(mi)}Mi`;
}
