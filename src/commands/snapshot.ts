import { stringify } from "yaml";
import { captureSnapshot } from "../context/capture.js";
import { LiveView } from "../context/live-view.js";
import { oneOf, parseCommandArgs } from "./args.js";
import { loadKubeConfig } from "./kubeconfig.js";
import { EXIT_OK, UsageError, type Command, type CommandIO } from "./types.js";

const OUTPUTS = ["yaml", "json"] as const;

const HELP = `Usage: production-fixer snapshot -n NAMESPACE [--output yaml|json] [--kubeconfig FILE] [--context NAME]

Captures a ClusterSnapshot of one namespace from the cluster of the current
kubeconfig and writes it to stdout: the namespace's objects (never Secrets;
managedFields removed), the nodes its pods run on, StorageClasses, current and
previous container logs, and events. Secrets found in values and logs are
redacted. Attach the file to a ticket; anyone can replay the diagnosis with
'production-fixer diagnose --snapshot FILE'.

Options:
  -n, --namespace NAME  namespace to capture (required)
  -o, --output FORMAT   yaml (default) or json
      --kubeconfig FILE kubeconfig to use (default: KUBECONFIG or ~/.kube/config)
      --context NAME    kubeconfig context to use
  -h, --help            show this help

Examples:
  production-fixer snapshot -n shop > shop.yaml
  production-fixer snapshot -n shop --context prod -o json > shop.json
`;

export const command: Command = {
  name: "snapshot",
  summary: "capture a ClusterSnapshot of a namespace (objects, logs, events) to stdout",
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      namespace: { type: "string", short: "n" },
      output: { type: "string", short: "o", default: "yaml" },
      kubeconfig: { type: "string" },
      context: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.namespace) throw new UsageError("-n NAMESPACE is required");
    const format = oneOf("output", values.output ?? "yaml", OUTPUTS);
    const kc = loadKubeConfig(values.kubeconfig, values.context);
    const view = new LiveView({ kubeConfig: kc });
    const ns = await view.get("Namespace", undefined, values.namespace);
    if (!ns) throw new UsageError(`namespace "${values.namespace}" not found in cluster ${kc.getCurrentCluster()?.server ?? ""}`);
    const { snapshot, notes } = await captureSnapshot(view, { namespace: values.namespace });
    for (const n of notes) io.stderr.write(`warning: ${n}\n`);
    io.stdout.write(format === "json" ? `${JSON.stringify(snapshot, null, 2)}\n` : stringify(snapshot, { lineWidth: 0 }));
    return EXIT_OK;
  },
};
