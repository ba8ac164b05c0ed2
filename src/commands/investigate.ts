import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { GROUP, VERSION } from "../api/common.js";
import { MAX_AFFECTED_PODS, ProductionIncident } from "../api/incident.js";
import { loadConfig } from "../config.js";
import { LiveView } from "../context/live-view.js";
import { fingerprintFor, workloadOf } from "../incidents/fingerprint.js";
import { detected, diagnosed, newIncident } from "../incidents/lifecycle.js";
import { isAlreadyExists, isNotFound, statusOf } from "../kube/errors.js";
import { describeIncident } from "../render/incidents.js";
import { styleFor } from "../render/style.js";
import { detectPodFailure, type PodFailure } from "../triggers/detect.js";
import { oneOf, parseCommandArgs } from "./args.js";
import { chooseInvestigator } from "./investigator.js";
import { loadKubeConfig } from "./kubeconfig.js";
import { EXIT_OK, UsageError, type Command, type CommandIO } from "./types.js";

const OUTPUTS = ["text", "json", "yaml"] as const;

const HELP = `Usage: production-fixer investigate pod/NAME -n NAMESPACE [--output text|json|yaml] [--write] [--no-agent]

Investigates one pod against the current kubeconfig context and prints the
incident the operator would write. Nothing is written unless --write is given.

Options:
  -n, --namespace NS    namespace of the pod (default: the context's, else "default")
  -o, --output FORMAT   text (default, like kubectl describe), json or yaml
      --write           create the ProductionIncident (and its status) in the cluster
      --no-agent        use the triage rules only, even with ANTHROPIC_API_KEY set
      --kubeconfig FILE kubeconfig to use (default: KUBECONFIG or ~/.kube/config)
      --context NAME    kubeconfig context to use
  -h, --help            show this help

Examples:
  production-fixer investigate pod/checkout-7d4b9c8f6-x2x9k -n shop
  production-fixer investigate checkout-7d4b9c8f6-x2x9k -n shop -o json --no-agent
  production-fixer investigate pod/web-0 -n prod --write
`;

function podName(arg: string | undefined): string {
  if (!arg) throw new UsageError("which pod? pass pod/NAME");
  const m = /^(?:pods?\/)?([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(arg);
  if (!m) throw new UsageError(`"${arg}" is not a pod: pass pod/NAME (only pods can be investigated directly)`);
  return m[1]!;
}

async function readPod(kc: KubeConfig, namespace: string, name: string): Promise<V1Pod> {
  try {
    return await kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name });
  } catch (cause) {
    if (isNotFound(cause)) throw new UsageError(`pod ${namespace}/${name} not found: check the name with 'kubectl get pods -n ${namespace}'`);
    if (statusOf(cause) === 403) throw new Error(`no permission to read pod ${namespace}/${name}: the investigation needs get on pods, pods/log and events in ${namespace}`, { cause });
    throw new Error(`could not read pod ${namespace}/${name}: is the cluster reachable?`, { cause });
  }
}

/** What is wrong with the pod; a healthy pod is still investigated, as a manual request. */
function failureOf(pod: V1Pod, now: Date): PodFailure {
  const found = detectPodFailure(pod, now, { minRestarts: 0, unschedulableGraceSeconds: 0, stuckGraceSeconds: 0 });
  const container = pod.spec?.containers[0]?.name;
  return found ?? { reason: "ManualInvestigation", init: false, signature: "Manual", ...(container ? { container } : {}) };
}

async function writeIncident(kc: KubeConfig, incident: ProductionIncident): Promise<void> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const ref = { group: GROUP, version: VERSION, namespace: incident.metadata.namespace!, plural: "productionincidents" };
  const { status, ...body } = incident;
  let created: ProductionIncident;
  try {
    created = (await custom.createNamespacedCustomObject({ ...ref, body })) as ProductionIncident;
  } catch (err) {
    if (!isAlreadyExists(err)) throw new Error(`could not create ProductionIncident ${ref.namespace}/${incident.metadata.name}`, { cause: err });
    created = (await custom.getNamespacedCustomObject({ ...ref, name: incident.metadata.name! })) as ProductionIncident;
  }
  await custom.replaceNamespacedCustomObjectStatus({ ...ref, name: incident.metadata.name!, body: { ...created, status } });
}

export const command: Command = {
  name: "investigate",
  summary: "investigate one pod against the current cluster and print the incident",
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      namespace: { type: "string", short: "n" },
      output: { type: "string", short: "o", default: "text" },
      write: { type: "boolean", default: false },
      "no-agent": { type: "boolean", default: false },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const output = oneOf("output", values.output!, OUTPUTS);
    const name = podName(positionals[0]);
    const kc = loadKubeConfig(values.kubeconfig, values.context);
    const namespace = values.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
    const config = loadConfig({ env: io.env });
    const pod = await readPod(kc, namespace, name);
    const incident = await investigatePod(kc, pod, await chooseInvestigator(config, values["no-agent"]!));
    if (values.write) await writeIncident(kc, incident);
    io.stdout.write(render(incident, output, io));
    if (values.write) io.stderr.write(`wrote productionincident/${incident.metadata.name} in ${namespace}\n`);
    return EXIT_OK;
  },
};

async function investigatePod(kc: KubeConfig, pod: V1Pod, choice: Awaited<ReturnType<typeof chooseInvestigator>>): Promise<ProductionIncident> {
  const now = new Date();
  const failure = failureOf(pod, now);
  const workload = workloadOf(pod);
  const incident = newIncident({ fingerprint: fingerprintFor(workload, failure), workload, failure });
  const result = await choice.investigator.investigate(new LiveView({ kubeConfig: kc }), {
    target: incident.spec.target,
    pod: pod.metadata!.name!,
    reason: failure.reason,
    ...(choice.rulesOnly ? { rulesOnly: choice.rulesOnly } : {}),
  });
  const observed = [{ pod: pod.metadata!.name!, reason: failure.reason, seenAt: now.toISOString() }];
  return ProductionIncident.parse({ ...incident, status: diagnosed(detected(observed, now, MAX_AFFECTED_PODS), result, now) });
}

function render(incident: ProductionIncident, output: (typeof OUTPUTS)[number], io: CommandIO): string {
  if (output === "json") return `${JSON.stringify(incident, null, 2)}\n`;
  if (output === "yaml") return stringify(incident, { lineWidth: 0 });
  return `${describeIncident(incident, styleFor(io.stdout, io.env))}\n`;
}
