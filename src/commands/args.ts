import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./types.js";

/** node:util parseArgs with errors turned into UsageError (exit code 2). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T): ReturnType<typeof parseArgs<{ options: T; args: string[]; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]!.split(". To specify")[0]!);
  }
}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}, not "${value}"`);
  return value as T;
}
