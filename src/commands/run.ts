import { main } from "../main.js";
import { parseCommandArgs } from "./args.js";
import { EXIT_OK, type Command, type CommandIO } from "./types.js";

const HELP = `Usage: production-fixer run [--kubeconfig PATH] [--namespace NS ...]

Runs the operator: watches pods, opens a ProductionIncident per failure
fingerprint, investigates it and records the diagnosis; resolves incidents when
the workload is healthy again. Only the replica holding the Lease writes.
Configuration comes from the environment and PF_CONFIG_FILE (see the README);
flags override it. SIGTERM stops gracefully and releases the Lease.

Options:
      --kubeconfig PATH   kubeconfig file (default: in-cluster, KUBECONFIG, ~/.kube/config)
  -n, --namespace NS      watch this namespace (repeatable; default: all)
  -h, --help              show this help
`;

export const command: Command = {
  name: "run",
  summary: "run the operator (watch, detect, investigate, resolve)",
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values } = parseCommandArgs(args, {
      kubeconfig: { type: "string" },
      namespace: { type: "string", short: "n", multiple: true },
      help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const namespaces = values.namespace ?? [];
    const handle = await main({
      env: io.env,
      ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
      ...(namespaces.length > 0 ? { overrides: { namespaces } } : {}),
    });
    await handle.done;
    return EXIT_OK;
  },
};
