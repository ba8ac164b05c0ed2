// Reasons of the Kubernetes Events the operator records (CamelCase, stable: users filter on them).
export const IncidentOpened = "IncidentOpened";
export const Investigating = "Investigating";
export const Diagnosed = "Diagnosed";
export const InvestigationFailed = "InvestigationFailed";
export const Resolved = "Resolved";
export const Reopened = "Reopened";

export const EVENT_REASONS = [IncidentOpened, Investigating, Diagnosed, InvestigationFailed, Resolved, Reopened] as const;
export type EventReason = (typeof EVENT_REASONS)[number];
