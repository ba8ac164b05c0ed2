import type { ProductionIncident } from "../api/incident.js";
import type { ClusterSnapshot } from "../api/snapshot.js";
import { SnapshotView } from "../context/snapshot-view.js";
import { diagnoseView, type DiagnoseViewOptions } from "./diagnose-view.js";

/**
 * Offline diagnosis of a ClusterSnapshot: the incidents the operator would
 * write for it, found and investigated by the same code that diagnoses a live
 * cluster (diagnoseView), over a SnapshotView.
 */

export { DEFAULT_DETECTION, type DetectionOptions } from "./diagnose-view.js";

export type DiagnoseSnapshotOptions = Omit<DiagnoseViewOptions, "namespace">;

/** The incidents the operator would write for this snapshot, in a stable order (namespace, name). */
export async function diagnoseSnapshot(snapshot: ClusterSnapshot, opts: DiagnoseSnapshotOptions): Promise<ProductionIncident[]> {
  return diagnoseView(new SnapshotView(snapshot), opts);
}
