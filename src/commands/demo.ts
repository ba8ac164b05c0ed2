import { fileURLToPath } from "node:url";
import { EXIT_RUNTIME, type Command, type CommandIO } from "./types.js";

/**
 * `production-fixer demo` runs the demo of a source checkout (it needs the test
 * control plane under test/testenv), the same as `npm run demo`.
 */
export const command: Command = {
  name: "demo",
  summary: "run the local demo: a control plane, a broken shop, and the operator (source checkout)",
  async run(args: string[], io: CommandIO): Promise<number> {
    const entry = new URL("../../demo/run.ts", import.meta.url);
    let mod: { main(argv: string[], env: Record<string, string | undefined>): Promise<number> };
    try {
      mod = (await import(fileURLToPath(entry))) as typeof mod;
    } catch {
      io.stderr.write("the demo runs from a source checkout: git clone the repository, then `npm ci && npm run demo`\n");
      return EXIT_RUNTIME;
    }
    return mod.main(args, io.env);
  },
};
