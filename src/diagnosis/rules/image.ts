import type { ContainerFacts, InvestigationContext } from "../../context/types.js";
import type { RuleDiagnosis, TriageRule } from "../types.js";
import { diagnosis, headline, type Cite } from "./build.js";
import { containersByFailure, kubectl, podEvidence, stateMessage, workloadRef } from "./subject.js";

const PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"]);

type PullKind = "unreachable" | "ambiguous" | "auth" | "not-found" | "invalid" | "never-pull" | "unknown";

const KINDS: [PullKind, RegExp][] = [
  ["invalid", /InvalidImageName|invalid reference format|couldn't parse image (?:reference|name)/i],
  ["never-pull", /ErrImageNeverPull|imagePullPolicy is "?Never"?/],
  ["unreachable", /no such host|i\/o timeout|dial tcp|connection refused|TLS handshake timeout|context deadline exceeded|x509:|server gave HTTP response to HTTPS client|network is unreachable|503 Service Unavailable|RegistryUnavailable/i],
  ["ambiguous", /repository does not exist or may require authorization/i],
  ["auth", /unauthorized|authentication required|pull access denied|denied:|403 Forbidden|401 Unauthorized|no basic auth credentials|insufficient_scope|failed to authorize/i],
  ["not-found", /not found|manifest unknown|name unknown|NotFound|does not exist/i],
];

const EXPLAIN: Record<PullKind, string> = {
  unreachable: "the registry host cannot be reached from the node (DNS name that does not resolve, a firewall, or a registry outage)",
  ambiguous: "the registry says the repository does not exist or needs credentials: a wrong repository name, or a private repository without imagePullSecrets",
  auth: "the registry refuses the pull: the repository is private and the pod has no valid imagePullSecrets (missing, wrong registry, or expired credentials)",
  "not-found": "the image reference does not exist: a wrong tag or repository name (manifest unknown / not found)",
  invalid: "the image reference is not a valid name (invalid reference format)",
  "never-pull": "imagePullPolicy is Never and the image is not present on the node",
  unknown: "the image cannot be pulled",
};

function messages(ctx: InvestigationContext, c: ContainerFacts): { text: string; cites: Cite[] } {
  const events = ctx.events.filter((e) => /Failed|BackOff|InspectFailed|ErrImageNeverPull/.test(e.reason) && /image/i.test(e.message) && (!e.involved.fieldPath || e.involved.fieldPath.includes(c.name)));
  const text = [stateMessage(c), ...events.map((e) => e.message)].join("\n");
  const detailed = events.filter((e) => !/^Back-off pulling image|^Error: (ErrImagePull|ImagePullBackOff)$/.test(e.message));
  return { text, cites: (detailed.length ? detailed : events).slice(0, 3).map((e) => ({ id: e.evidenceId, excerpt: e.message })) };
}

function classify(text: string, reason: string | undefined): PullKind {
  for (const [kind, re] of KINDS) if (re.test(text) || re.test(reason ?? "")) return kind;
  return "unknown";
}

function registryOf(image: string): string {
  const first = image.split("/")[0]!;
  return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

function fixFor(ctx: InvestigationContext, kind: PullKind, c: ContainerFacts, image: string): { title: string; commands: string[] } {
  const w = workloadRef(ctx);
  const registry = registryOf(image);
  if (kind === "auth" || kind === "ambiguous") {
    return {
      title: `Give the pod credentials for ${registry} (and check the repository name)`,
      commands: [
        `${kubectl(ctx)} create secret docker-registry regcred --docker-server=${registry} --docker-username=USER --docker-password=TOKEN`,
        `${kubectl(ctx)} patch serviceaccount ${ctx.pod?.spec?.serviceAccountName ?? "default"} -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
      ],
    };
  }
  if (kind === "unreachable") return { title: `Fix the registry host ${registry} in the image reference, or the node's route/DNS to it`, commands: [`${kubectl(ctx)} set image ${w.ref} ${c.name}=<reachable-registry>/${image.split("/").slice(1).join("/") || image}`] };
  return { title: `Point ${c.name} at an image that exists`, commands: [`${kubectl(ctx)} set image ${w.ref} ${c.name}=<repository>:<existing-tag>`] };
}

function match(ctx: InvestigationContext): RuleDiagnosis | undefined {
  const c = containersByFailure(ctx).find((x) => x.state.kind === "waiting" && PULL_REASONS.has(x.state.reason ?? ""));
  if (!c) return undefined;
  const { text, cites } = messages(ctx, c);
  const kind = classify(text, c.state.reason);
  const image = /image "([^"]+)"/.exec(text)?.[1] ?? c.image;
  const w = workloadRef(ctx);
  const changed = ctx.rollout?.changes.find((ch) => ch.path.includes(`[${c.name}].image`));
  const fix = fixFor(ctx, kind, c, image);
  return diagnosis(ctx, {
    rule: `image-pull-${kind}`,
    category: "ImagePull",
    summary: `Image ${image} cannot be pulled for container ${c.name}: ${headline(EXPLAIN[kind])}`,
    rootCause: `The kubelet cannot pull ${image} (registry ${registryOf(image)}): ${EXPLAIN[kind]}.${changed ? ` The last rollout changed the image from ${changed.before} to ${changed.after}.` : ""}`,
    confidence: kind === "unknown" ? 0.75 : 0.95,
    cites: [...cites, ...podEvidence(ctx, "PodStatus").map((id) => ({ id })), { id: changed ? ctx.rollout?.evidenceId : undefined }],
    test: kind === "unreachable" ? `From a node: nslookup ${registryOf(image)}; curl -sI https://${registryOf(image)}/v2/` : `crane manifest ${image} (or docker manifest inspect ${image}) with and without credentials`,
    remediation: [
      ...(changed && w.rollable ? [{ title: `Roll back to the previous image ${changed.before}`, stage: "Stabilize" as const, commands: [`${kubectl(ctx)} rollout undo ${w.ref}`], risk: "Low" as const }] : []),
      { ...fix, stage: "Fix" as const },
    ],
    prevention: ["Deploy immutable digests that CI has verified exist in the registry.", "Keep pull credentials on the ServiceAccount and alert before registry tokens expire."],
  });
}

export const imageRules: TriageRule[] = [{ name: "image-pull", match }];
