import { stringify } from "yaml";
import type { ProductionIncident } from "../api/incident.js";
import { loadConfig } from "../config.js";
import { loadSnapshot } from "../context/snapshot-load.js";
import { diagnoseSnapshot } from "../diagnosis/snapshot.js";
import { oneOf, parseCommandArgs } from "./args.js";
import { chooseInvestigator } from "./investigator.js";
import { styleFor, type Style } from "../render/style.js";
import { table } from "../render/table.js";
import { EXIT_OK, UsageError, type Command, type CommandIO } from "./types.js";

const OUTPUTS = ["table", "json", "yaml"] as const;

const HELP = `Usage: production-fixer diagnose --snapshot FILE [--output table|json|yaml] [--no-agent]

Diagnoses a ClusterSnapshot (YAML or JSON) offline and prints the
ProductionIncident objects the operator would write: one per failure
fingerprint, each with spec.target and status.diagnosis.

Options:
  -f, --snapshot FILE   the ClusterSnapshot to diagnose (required)
  -o, --output FORMAT   table (default), json ({"incidents": [...]}) or yaml
      --no-agent        use the triage rules only, even with ANTHROPIC_API_KEY set
  -h, --help            show this help

Examples:
  production-fixer diagnose --snapshot bundle.yaml
  production-fixer diagnose -f bundle.yaml -o json | jq '.incidents[].status.diagnosis.summary'
  production-fixer snapshot -n shop > shop.yaml && production-fixer diagnose -f shop.yaml --no-agent

Exit codes: 0 done (with or without incidents), 1 runtime error, 2 usage or invalid snapshot.
`;

export function formatIncidents(incidents: ProductionIncident[], format: (typeof OUTPUTS)[number], style: Style): string {
  if (format === "json") return `${JSON.stringify({ incidents }, null, 2)}\n`;
  if (format === "yaml") return stringify({ incidents }, { lineWidth: 0 });
  if (incidents.length === 0) return "No failing workloads found.\n";
  const rows = incidents.map((i) => {
    const t = i.spec.target;
    const d = i.status?.diagnosis;
    const category = d?.category ?? "-";
    return [
      `${t.kind.toLowerCase()}/${t.namespace}/${t.name}${t.container ? ` (${t.container})` : ""}`,
      category === "Unknown" ? style.yellow(category) : style.red(category),
      d ? d.confidence.toFixed(2) : "-",
      d?.summary ?? "-",
    ];
  });
  return `${table(["TARGET", "CATEGORY", "CONFIDENCE", "SUMMARY"].map((h) => style.bold(h)), rows)}\n`;
}

export const command: Command = {
  name: "diagnose",
  summary: "diagnose a ClusterSnapshot offline and print the incidents",
  async run(args: string[], io: CommandIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      snapshot: { type: "string", short: "f" },
      output: { type: "string", short: "o", default: "table" },
      "no-agent": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (give the file with --snapshot)`);
    if (!values.snapshot) throw new UsageError("--snapshot FILE is required");
    const format = oneOf("output", values.output ?? "table", OUTPUTS);
    const config = loadConfig({ env: io.env });
    const snapshot = loadSnapshot(values.snapshot);
    const choice = await chooseInvestigator(config, values["no-agent"] ?? false);
    const incidents = await diagnoseSnapshot(snapshot, { investigator: choice.investigator, detection: config.detection, ...(choice.rulesOnly ? { rulesOnly: choice.rulesOnly } : {}) });
    io.stdout.write(formatIncidents(incidents, format, styleFor(io.stdout, io.env)));
    return EXIT_OK;
  },
};
