// The process entry of `production-fixer run`: configuration from the environment
// (and PF_CONFIG_FILE), a KubeConfig, the operator, and signal handling. Composition only.
import { KubeConfig } from "@kubernetes/client-node";
import { loadConfig, type ConfigInput } from "./config.js";
import { startOperator, type OperatorHandle } from "./operator.js";
import { createLogger } from "./telemetry/logger.js";

export interface MainOptions {
  /** Overrides from flags (e.g. namespaces). */
  overrides?: ConfigInput;
  /** A kubeconfig file; default: in-cluster, then KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  env?: Record<string, string | undefined>;
  /** Install SIGTERM/SIGINT handlers that stop gracefully (default true). */
  handleSignals?: boolean;
}

export interface MainHandle {
  operator: OperatorHandle;
  /** Resolves when the operator has stopped (after a signal or stop()). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function main(opts: MainOptions = {}): Promise<MainHandle> {
  const config = loadConfig({ env: opts.env ?? process.env, ...(opts.overrides ? { overrides: opts.overrides } : {}) });
  const logger = createLogger({ level: config.logLevel });
  const kubeConfig = new KubeConfig();
  if (opts.kubeconfig) kubeConfig.loadFromFile(opts.kubeconfig);
  else kubeConfig.loadFromDefault();
  const operator = await startOperator({ config, kubeConfig, logger });
  let stopping: Promise<void> | undefined;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const stop = (): Promise<void> => (stopping ??= operator.stop({ release: true }).finally(stopped));
  if (opts.handleSignals ?? true) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        logger.info({ signal }, "stopping: finishing in-flight work and releasing the lease");
        stop().catch((err: unknown) => logger.error({ err }, "graceful stop failed"));
      });
    }
  }
  return { operator, done, stop };
}
