// The operator in-process: informers, the incident and ProductionAlert controllers,
// leader election, the probe server and the Alertmanager webhook, composed. `production-fixer run`, the demo and the tests
// all start it through startOperator().
import { hostname } from "node:os";
import type { CoreV1Event, KubeConfig } from "@kubernetes/client-node";
import type { Config } from "./config.js";
import { LiveView } from "./context/live-view.js";
import type { ClusterView } from "./context/view.js";
import { createInvestigator } from "./diagnosis/factory.js";
import type { Investigator } from "./diagnosis/types.js";
import { IncidentController } from "./incidents/controller.js";
import { incidentApiOf, type StoredIncident } from "./incidents/incident-api.js";
import type { OperatorEvent } from "./incidents/operator-events.js";
import type { EventSink, ObjectRef } from "./incidents/ports.js";
import { createKubeClients, RequestCounter, type KubeClients } from "./kube/clients.js";
import { EventRecorder } from "./kube/events.js";
import { LeaderElector } from "./kube/leader.js";
import { CustomObjectStore } from "./kube/status.js";
import { startServer, type RunningServer } from "./server.js";
import { createLogger, type Logger } from "./telemetry/logger.js";
import { Metrics } from "./telemetry/metrics.js";
import { watchedCaches, type CacheSubscriber } from "./operator-informers.js";
import { workloadReadiness } from "./operator-readiness.js";
import { alertWiring, prometheusSource, webhookFromConfig } from "./triggers/alert-wiring.js";
import type { AlertController } from "./triggers/alerts.js";
import type { Timers } from "./incidents/timers.js";

export type { OperatorEvent } from "./incidents/operator-events.js";

export interface OperatorOptions {
  config: Config;
  kubeConfig: KubeConfig;
  /** Default: createInvestigator(config) — the agent with an API key, else the rules. */
  investigator?: Investigator;
  logger?: Logger;
  /** Time for the controllers' queues, requeues and timeouts. */
  clock?: Timers;
  onEvent?: (event: OperatorEvent) => void;
  /** Counts every API request (informers, writes, Events, the investigation's reads). */
  requestCounter?: RequestCounter;
  metrics?: Metrics;
  /**
   * Serve /healthz, /readyz and /metrics on config.server.port (default true). The
   * Alertmanager webhook follows config.webhook.enabled alone.
   */
  serve?: boolean;
}

export interface OperatorHandle {
  identity: string;
  metrics: Metrics;
  requestCounter: RequestCounter;
  controller: IncidentController;
  /** The ProductionAlert controller (its workers run beside the incident controller's). */
  alerts: AlertController;
  /** The port of /healthz, /readyz, /metrics when serving. */
  port: number | undefined;
  /** The port of the Alertmanager webhook when webhook.enabled (every replica serves it). */
  webhookPort: number | undefined;
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
  const source = prometheusSource(config);
  const view = (): ClusterView => new LiveView({ kubeConfig, ...(source ? { metrics: source } : {}), onRequest: (verb, path) => requestCounter.count(verb, path) });
  const incidentApi = incidentApiOf(new CustomObjectStore<StoredIncident>({ clients, plural: "productionincidents" }));
  const timers = opts.clock ? { timers: opts.clock } : {};
  // No investigator for the alert controller: the incident controller investigates every Detected incident, alert incidents included.
  const alerts = alertWiring({ config, kubeConfig, clients, incidents: caches.incidents, incidentApi, pods: caches.pods, view, logger, metrics, requestCounter, ...timers });
  const controller = new IncidentController({
    config,
    pods: caches.pods,
    replicaSets: caches.replicaSets,
    jobs: caches.jobs,
    eventsOf: eventsOf(clients),
    incidents: caches.incidents,
    api: incidentApi,
    events: eventSink(new EventRecorder({ clients, instance: identity, logger })),
    investigator: opts.investigator ?? createInvestigator(config, { logger }),
    view,
    logger,
    metrics,
    ...timers,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    workloadReady: workloadReadiness(clients),
    alertFor: (i) => alerts.controller.alertFor(i),
  });
  caches.subscribe(controller);
  caches.subscribe(incidentsTo(alerts.controller));
  const webhook = await webhookFromConfig(config, { clients, logger, metrics });
  caches.start();
  alerts.startInformers();
  const hasSynced = (): boolean => caches.hasSynced() && alerts.hasSynced();
  const server = opts.serve === false ? undefined : await serve(config, { metrics, logger, hasSynced });
  const synced = async (): Promise<void> => {
    await Promise.all([caches.synced(), alerts.synced()]);
  };
  await synced();
  const workers = bothControllers(controller, alerts.controller);
  const elector = leadership({ config, clients, identity, logger, workers, metrics, onEvent: opts.onEvent });
  logger.info({ identity, namespaces: config.namespaces, leaderElection: config.leaderElection.enabled, webhookPort: webhook?.port, prometheus: !!source }, "operator started");
  return {
    identity,
    metrics,
    requestCounter,
    controller,
    alerts: alerts.controller,
    port: server?.port,
    webhookPort: webhook?.port,
    isLeader: () => elector?.isLeader() ?? controller.isRunning(),
    synced,
    stop: async (stopOpts = {}) => {
      const release = stopOpts.release ?? true;
      await webhook?.close();
      await workers.stop(release ? config.shutdownTimeoutSeconds * 1000 : 0);
      await elector?.stop({ release });
      await alerts.stop();
      await caches.stop();
      await server?.close();
      logger.info({ identity, released: release }, "operator stopped");
    },
  };
}

/** The workers that run while leading: the incident controller and the ProductionAlert controller. */
interface Workers {
  start(): void;
  stop(timeoutMs: number): Promise<void>;
}

function bothControllers(incidents: IncidentController, alerts: AlertController): Workers {
  return {
    start: () => {
      incidents.start();
      alerts.start();
    },
    stop: async (timeoutMs) => {
      await Promise.all([incidents.stop({ timeoutMs }), alerts.stop({ timeoutMs })]);
    },
  };
}

/** Incident changes reach the alert controller: an alert's phase follows the incident it fed. */
function incidentsTo(alerts: AlertController): CacheSubscriber {
  const ignore = (): void => undefined;
  return { podChanged: ignore, podDeleted: ignore, incidentChanged: (i) => alerts.incidentChanged(i), incidentDeleted: ignore };
}

/** The events of one object, by uid when known (one list request). */
function eventsOf(clients: KubeClients): (regarding: ObjectRef) => Promise<CoreV1Event[]> {
  return async (r) => {
    const fieldSelector = r.uid ? `involvedObject.uid=${r.uid}` : `involvedObject.kind=${r.kind},involvedObject.name=${r.name}`;
    const list = await clients.core.listNamespacedEvent({ namespace: r.namespace ?? "default", fieldSelector });
    return list.items;
  };
}

function eventSink(recorder: EventRecorder): EventSink {
  // eslint-disable-next-line max-params
  return { record: (regarding, type, reason, note, related) => recorder.record({ ...regarding, namespace: regarding.namespace ?? "default" }, type, reason, note, related && { ...related, namespace: related.namespace ?? "default" }) };
}

async function serve(config: Config, deps: { metrics: Metrics; logger: Logger; hasSynced: () => boolean }): Promise<RunningServer> {
  return startServer({
    port: config.server.port,
    metrics: deps.metrics,
    logger: deps.logger,
    healthy: () => true,
    ready: () => (deps.hasSynced() ? true : "informers have not listed yet"),
  });
}

interface LeadershipInput {
  config: Config;
  clients: KubeClients;
  identity: string;
  logger: Logger;
  workers: Workers;
  metrics: Metrics;
  onEvent: ((event: OperatorEvent) => void) | undefined;
}

/** Starts the workers while leading; without leader election they start at once. */
function leadership(input: LeadershipInput): LeaderElector | undefined {
  const { config, workers, metrics, identity, logger } = input;
  const started = (): void => {
    metrics.leader.set(1);
    workers.start();
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
      workers.stop(0).catch((err: unknown) => logger.error({ err }, "could not stop the workers after losing the lease"));
    },
  });
  elector.run().catch((err: unknown) => logger.error({ err }, "leader election ended with an error"));
  return elector;
}
