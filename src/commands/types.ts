/** What a command can touch: its streams and environment, injected so tests run commands in-process. */
export interface CommandIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Returns the exit code: 0 ok, 1 runtime error, 2 usage or input error. */
  run(args: string[], io: CommandIO): Promise<number>;
}

/** A mistake in how the command was called or in its input; exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
