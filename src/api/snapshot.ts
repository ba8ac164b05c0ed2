import { z } from "zod";
import { API_VERSION } from "./common.js";

/** Any Kubernetes object: apiVersion, kind and metadata.name are required, the rest is kept as is. */
export const KubeObject = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z.object({ name: z.string().min(1), namespace: z.string().optional() }).passthrough(),
  })
  .passthrough();
export type KubeObject = z.infer<typeof KubeObject>;

export const SnapshotLog = z.object({
  namespace: z.string().min(1),
  pod: z.string().min(1),
  container: z.string().min(1),
  previous: z.boolean().default(false),
  text: z.string(),
});
export type SnapshotLog = z.infer<typeof SnapshotLog>;

/** Prometheus matrix form: one series with [unixSeconds, "value"] samples. */
export const SnapshotSeries = z.object({
  metric: z.record(z.string(), z.string()),
  values: z.array(z.tuple([z.number(), z.string()])),
});
export type SnapshotSeries = z.infer<typeof SnapshotSeries>;

/** A frozen view of what the responder would see; see ARCHITECTURE.md. */
export const ClusterSnapshot = z.object({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal("ClusterSnapshot"),
  metadata: z.object({ name: z.string().min(1) }).passthrough(),
  capturedAt: z.iso.datetime({ offset: true }),
  objects: z.array(KubeObject).default([]),
  logs: z.array(SnapshotLog).default([]),
  metrics: z.array(SnapshotSeries).default([]),
});
export type ClusterSnapshot = z.infer<typeof ClusterSnapshot>;
