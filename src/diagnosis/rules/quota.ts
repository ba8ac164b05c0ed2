import type { EventFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis } from "./build.js";
import { kubectl, workloadRef } from "./subject.js";

const QUOTA = /exceeded quota: ([\w.-]+), requested: ([^,]+(?:,[^,:]+=[^,]+)*), used: ([^,]+(?:,[^,:]+=[^,]+)*), limited: ([^\n]+)/;
const FAILED_QUOTA = /failed quota: ([\w.-]+): must specify ([^\n]+)/;
const LIMIT_RANGE = /(maximum|minimum) (cpu|memory|ephemeral-storage|storage) usage per (Container|Pod|PersistentVolumeClaim) is ([\w.]+)(?:, but (?:limit|request) is ([\w.]+))?/;
const RATIO = /(cpu|memory) max limit to request ratio per (Container|Pod) is ([\w.]+), but provided ratio is ([\w.]+)/;

function rejection(ctx: InvestigationContext): EventFacts | undefined {
  return ctx.events.find((e) => /FailedCreate|FailedCreatePodSandBox|Forbidden/.test(e.reason) && (QUOTA.test(e.message) || FAILED_QUOTA.test(e.message) || LIMIT_RANGE.test(e.message) || RATIO.test(e.message)));
}

interface Parsed {
  object: string;
  summary: string;
  cause: string;
  fix: { title: string; commands: string[] };
}

function parse(ctx: InvestigationContext, e: EventFacts): Parsed {
  const k = kubectl(ctx);
  const w = workloadRef(ctx).ref;
  const q = QUOTA.exec(e.message);
  if (q) {
    return {
      object: `ResourceQuota ${q[1]}`,
      summary: `ResourceQuota ${q[1]} is exhausted: new pods are rejected (requested ${q[2]}, used ${q[3]}, limited ${q[4]})`,
      cause: `${e.involved.kind} ${e.involved.name} cannot create pods: the namespace's ResourceQuota ${q[1]} would be exceeded quota (requested: ${q[2]}; used: ${q[3]}; limited: ${q[4]})`,
      fix: { title: `Free quota, lower the pod's requests/limits, or raise ResourceQuota ${q[1]}`, commands: [`${k} describe resourcequota ${q[1]}`, `${k} set resources ${w} --limits=<smaller>`] },
    };
  }
  const f = FAILED_QUOTA.exec(e.message);
  if (f) {
    return {
      object: `ResourceQuota ${f[1]}`,
      summary: `ResourceQuota ${f[1]} rejects pods without requests/limits: must specify ${f[2]}`,
      cause: `The namespace's ResourceQuota ${f[1]} tracks compute resources, so every pod must set them; the pod template does not (must specify ${f[2]})`,
      fix: { title: "Set requests and limits on every container", commands: [`${k} set resources ${w} --requests=cpu=100m,memory=128Mi --limits=cpu=500m,memory=256Mi`] },
    };
  }
  const l = LIMIT_RANGE.exec(e.message) ?? RATIO.exec(e.message);
  const limit = l?.[0] ?? e.message;
  return {
    object: "LimitRange",
    summary: `LimitRange forbids the pod: ${limit}`,
    cause: `${e.involved.kind} ${e.involved.name} cannot create pods: a LimitRange in the namespace forbids them (${limit})`,
    fix: { title: "Bring the container's requests/limits within the LimitRange, or change the LimitRange", commands: [`${k} describe limitrange`, `${k} set resources ${w} --limits=<within range>`] },
  };
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const e = rejection(ctx);
  if (!e) return undefined;
  const p = parse(ctx, e);
  const related = ctx.related.filter((r) => r.kind === "ResourceQuota" || r.kind === "LimitRange");
  return diagnosis(ctx, {
    rule: p.object === "LimitRange" ? "limit-range-rejection" : "quota-exceeded",
    category: "QuotaExceeded",
    summary: p.summary,
    rootCause: `${p.cause}. Event on ${e.involved.kind} ${e.involved.name}: ${e.message.slice(0, 400)}`,
    confidence: 0.95,
    cites: [{ id: e.evidenceId, excerpt: e.message }, ...related.map((r) => ({ id: r.evidenceId }))],
    test: `${kubectl(ctx)} describe resourcequota,limitrange`,
    remediation: [{ ...p.fix, stage: "Fix", risk: "Low" }],
    prevention: ["Alert when a ResourceQuota is above 85% used.", "Set resource defaults per namespace that fit the LimitRange."],
  });
}

export const quotaRules: TriageRule[] = [{ name: "quota-exceeded", match }];
