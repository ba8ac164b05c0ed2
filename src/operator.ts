// The operator in-process: informers, the incident controller, leader election
// and the probe server, composed. `production-fixer run`, the demo and the tests
// all start it through startOperator().
import { hostname } from "node:os";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Config } from "./config.js";
import { LiveView } from "./context/live-view.js";
import { createInvestigator } from "./diagnosis/factory.js";
import type { Investigator } from "./diagnosis/types.js";
import { IncidentController } from "./incidents/controller.js";
import { incidentApiOf, type StoredIncident } from "./incidents/incident-api.js";
import type { OperatorEvent } from "./incidents/operator-events.js";
import type { EventSink } from "./incidents/ports.js";
import { createKubeClients, RequestCounter, type KubeClients } from "./kube/clients.js";
import { EventRecorder } from "./kube/events.js";
import { LeaderElector } from "./kube/leader.js";
import { CustomObjectStore } from "./kube/status.js";
import { startServer, type RunningServer } from "./server.js";
import { createLogger, type Logger } from "./telemetry/logger.js";
import { Metrics } from "./telemetry/metrics.js";
import { watchedCaches, type WatchedCaches } from "./operator-informers.js";
import { workloadReadiness } from "./operator-readiness.js";
import type { Timers } from "./incidents/timers.js";

export type { OperatorEvent } from "./incidents/operator-events.js";

export interface OperatorOptions {
  config: Config;
  kubeConfig: KubeConfig;
  /** Default: createInvestigator(config) — the agent with an API key, else the rules. */
  investigator?: Investigator;
  logger?: Logger;
  /** Time for the controller's queues, requeues and timeouts. */
  clock?: Timers;
  onEvent?: (event: OperatorEvent) => void;
  /** Counts every API request (informers, writes, Events, the investigation's reads). */
  requestCounter?: RequestCounter;
  metrics?: Metrics;
  /** Serve /healthz, /readyz and /metrics on config.server.port (default true). */
  serve?: boolean;
}

export interface OperatorHandle {
  identity: string;
  metrics: Metrics;
  requestCounter: RequestCounter;
  controller: IncidentController;
  /** The port of /healthz, /readyz, /metrics when serving. */
  port: number | undefined;
  isLeader(): boolean;
  /** Resolves when every informer has listed once. */
  synced(): Promise<void>;
  /**
   * Stops taking work, lets in-flight work finish within config.shutdownTimeoutSeconds
   * (then hands it back), and releases the Lease unless release is false (a crash).
   */
  stop(opts?: { release?: boolean }): Promise<void>;
}

export async function startOperator(opts: OperatorOptions): Promise<OperatorHandle> {
  const { config, kubeConfig } = opts;
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const metrics = opts.metrics ?? new Metrics();
  const requestCounter = opts.requestCounter ?? new RequestCounter(metrics.requestHooks());
  const clients = createKubeClients(kubeConfig, { requestCounter });
  const identity = config.leaderElection.identity ?? `${hostname()}-${process.pid}`;
  const caches = watchedCaches({ config, kubeConfig, logger, requestCounter, metrics });
  const controller = new IncidentController({
    config,
    pods: caches.pods,
    incidents: caches.incidents,
    api: incidentApiOf(new CustomObjectStore<StoredIncident>({ clients, plural: "productionincidents" })),
    events: eventSink(new EventRecorder({ clients, instance: identity, logger })),
    investigator: opts.investigator ?? createInvestigator(config, { logger }),
    view: () => new LiveView({ kubeConfig, onRequest: (verb, path) => requestCounter.count(verb, path) }),
    logger,
    metrics,
    ...(opts.clock ? { timers: opts.clock } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    workloadReady: workloadReadiness(clients),
  });
  caches.subscribe(controller);
  caches.start();
  const server = opts.serve === false ? undefined : await serve(config, { metrics, logger, caches });
  await caches.synced();
  const elector = leadership({ config, clients, identity, logger, controller, metrics, onEvent: opts.onEvent });
  logger.info({ identity, namespaces: config.namespaces, leaderElection: config.leaderElection.enabled }, "operator started");
  return {
    identity,
    metrics,
    requestCounter,
    controller,
    port: server?.port,
    isLeader: () => elector?.isLeader() ?? controller.isRunning(),
    synced: () => caches.synced(),
    stop: async (stopOpts = {}) => {
      const release = stopOpts.release ?? true;
      await controller.stop({ timeoutMs: release ? config.shutdownTimeoutSeconds * 1000 : 0 });
      await elector?.stop({ release });
      await caches.stop();
      await server?.close();
      logger.info({ identity, released: release }, "operator stopped");
    },
  };
}

function eventSink(recorder: EventRecorder): EventSink {
  // eslint-disable-next-line max-params
  return { record: (regarding, type, reason, note, related) => recorder.record({ ...regarding, namespace: regarding.namespace ?? "default" }, type, reason, note, related && { ...related, namespace: related.namespace ?? "default" }) };
}

async function serve(config: Config, deps: { metrics: Metrics; logger: Logger; caches: WatchedCaches }): Promise<RunningServer> {
  return startServer({
    port: config.server.port,
    metrics: deps.metrics,
    logger: deps.logger,
    healthy: () => true,
    ready: () => (deps.caches.hasSynced() ? true : "informers have not listed yet"),
  });
}

interface LeadershipInput {
  config: Config;
  clients: KubeClients;
  identity: string;
  logger: Logger;
  controller: IncidentController;
  metrics: Metrics;
  onEvent: ((event: OperatorEvent) => void) | undefined;
}

/** Starts the workers while leading; without leader election they start at once. */
function leadership(input: LeadershipInput): LeaderElector | undefined {
  const { config, controller, metrics, identity, logger } = input;
  const started = (): void => {
    metrics.leader.set(1);
    controller.start();
    input.onEvent?.({ type: "leading", identity });
  };
  if (!config.leaderElection.enabled) {
    started();
    return undefined;
  }
  const le = config.leaderElection;
  const elector = new LeaderElector({
    clients: input.clients, namespace: le.leaseNamespace, name: le.leaseName, identity, logger,
    leaseDurationSeconds: le.leaseDurationSeconds, renewDeadlineSeconds: le.renewDeadlineSeconds, retryPeriodSeconds: le.retryPeriodSeconds,
    onStartedLeading: started,
    onStoppedLeading: () => {
      metrics.leader.set(0);
      input.onEvent?.({ type: "standby", identity });
      controller.stop({ timeoutMs: 0 }).catch((err: unknown) => logger.error({ err }, "could not stop the workers after losing the lease"));
    },
  });
  elector.run().catch((err: unknown) => logger.error({ err }, "leader election ended with an error"));
  return elector;
}
