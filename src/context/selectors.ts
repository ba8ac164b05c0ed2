/**
 * Label and field selectors, evaluated locally: the snapshot view answers
 * list(kind, ns, {labelSelector, fieldSelector}) with them, and collection uses
 * them to find NetworkPolicies and Services that select a pod.
 */

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

type Requirement = (labels: Record<string, string>) => boolean;

function requirement(term: string): Requirement {
  const t = term.trim();
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t);
  if (set) {
    const values = set[3]!.split(",").map((v) => v.trim());
    const key = set[1]!;
    return set[2] === "in" ? (l) => l[key] !== undefined && values.includes(l[key]) : (l) => l[key] === undefined || !values.includes(l[key]);
  }
  const eq = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(t);
  if (eq) {
    const [, key, op, value] = eq as unknown as [string, string, string, string];
    return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if (t.startsWith("!")) return (l) => l[t.slice(1)] === undefined;
  return (l) => l[t] !== undefined;
}

/** Splits at commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.filter((t) => t.trim() !== "");
}

/** True when labels satisfy a label selector string (`app=web,tier in (a,b),!canary`). An empty selector matches everything. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector?.trim()) return true;
  return terms(selector).every((t) => requirement(t)(labels ?? {}));
}

/**
 * True when labels satisfy a metav1.LabelSelector. An empty selector ({}) matches
 * everything (as in NetworkPolicy.podSelector); an absent one matches nothing.
 */
export function matchesSelectorObject(labels: Record<string, string> | undefined, sel: LabelSelectorObject | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  const byLabel = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  return byLabel && (sel.matchExpressions ?? []).every((e) => expression(l, e));
}

function expression(l: Record<string, string>, e: { key: string; operator: string; values?: string[] }): boolean {
  const v = l[e.key];
  switch (e.operator) {
    case "In":
      return v !== undefined && (e.values ?? []).includes(v);
    case "NotIn":
      return v === undefined || !(e.values ?? []).includes(v);
    case "Exists":
      return v !== undefined;
    case "DoesNotExist":
      return v === undefined;
    default:
      return false;
  }
}

/** A Service's map selector: every key must match; an empty or absent map selects nothing. */
export function matchesMapSelector(labels: Record<string, string> | undefined, sel: Record<string, string> | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

function fieldValue(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === undefined || cur === null ? undefined : String(cur);
}

/** True when an object satisfies a field selector (`metadata.name=x,involvedObject.uid=y,status.phase!=Running`). */
export function matchesFieldSelector(obj: unknown, selector: string | undefined): boolean {
  if (!selector?.trim()) return true;
  return selector.split(",").every((term) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) return false;
    const actual = fieldValue(obj, m[1]!) ?? "";
    return m[2] === "!=" ? actual !== m[3] : actual === m[3];
  });
}
