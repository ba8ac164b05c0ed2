import { ConfigError } from "../config.js";
import { SnapshotError } from "../context/snapshot-load.js";
import { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, UsageError, type Command, type CommandIO } from "./types.js";

/**
 * The `production-fixer` dispatcher. Adding a command is one line here: its
 * name and a lazy import of a module exporting `command`.
 */
export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  diagnose: () => import("./diagnose.js"),
  snapshot: () => import("./snapshot.js"),
  investigate: () => import("./investigate.js"),
  demo: () => import("./demo.js"),
  run: () => import("./run.js"),
};

export const PROGRAM = "production-fixer";

async function usage(): Promise<string> {
  const summary = async (load: () => Promise<{ command: Command }>): Promise<string> => (await load().catch(() => undefined))?.command.summary ?? "(unavailable)";
  const lines = await Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => `  ${name.padEnd(12)} ${await summary(load)}`));
  return [`Usage: ${PROGRAM} <command> [options]`, "", "Commands:", ...lines, "", `Run '${PROGRAM} <command> --help' for the options of a command.`, ""].join("\n");
}

function causeOf(err: unknown): string | undefined {
  return err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
}

/** Maps an error to its exit code and prints it with what to do. */
export function reportError(err: unknown, io: CommandIO, command?: string): number {
  const usageLike = err instanceof UsageError || err instanceof SnapshotError || err instanceof ConfigError;
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`${PROGRAM}${command ? ` ${command}` : ""}: ${message}\n`);
  if (err instanceof UsageError && command) io.stderr.write(`Run '${PROGRAM} ${command} --help' for usage.\n`);
  const cause = usageLike ? undefined : causeOf(err);
  if (cause && !message.includes(cause)) io.stderr.write(`  caused by: ${cause}\n`);
  return usageLike ? EXIT_USAGE : EXIT_RUNTIME;
}

export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? io.stdout : io.stderr).write(await usage());
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`${PROGRAM}: unknown command "${name}"\n\n${await usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await (await load()).command.run(rest, io);
  } catch (err) {
    return reportError(err, io, name);
  }
}
