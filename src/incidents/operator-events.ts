// What the operator tells an in-process observer (the demo prints these as they happen).
import type { Category } from "../api/diagnosis.js";
import type { Target } from "../api/common.js";

interface IncidentEventBase {
  namespace: string;
  /** The ProductionIncident's name. */
  incident: string;
  target: Target;
}

export type OperatorEvent =
  | ({ type: "opened"; reason: string; pod: string } & IncidentEventBase)
  | ({ type: "reopened"; reason: string; pod: string; recurrences: number } & IncidentEventBase)
  | ({ type: "investigating"; mode: "agent" | "rules"; rulesOnlyReason?: string } & IncidentEventBase)
  | ({ type: "diagnosed"; category: Category; summary: string; confidence: number; mode: "agent" | "rules"; durationMs: number } & IncidentEventBase)
  | ({ type: "failed"; reason: string; willRetry: boolean } & IncidentEventBase)
  | ({ type: "resolved" } & IncidentEventBase)
  | ({ type: "deleted" } & IncidentEventBase)
  | { type: "leading"; identity: string }
  | { type: "standby"; identity: string };

export type OperatorEventListener = (event: OperatorEvent) => void;
