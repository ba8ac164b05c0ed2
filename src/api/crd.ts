import { z } from "zod";
import { GROUP, VERSION } from "./common.js";
import { AlertSpec, AlertStatus } from "./alert.js";
import { IncidentSpec, IncidentStatus } from "./incident.js";

type JsonSchema = { [key: string]: unknown };

/**
 * Turns a zod schema into a structural OpenAPI v3 schema as the apiserver wants
 * it: every node typed, no `additionalProperties: false`, no `$schema`, `const`
 * as a one-value enum.
 */
export function structuralSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "throw" }) as JsonSchema;
  return clean(json);
}

function clean(node: unknown): JsonSchema {
  if (typeof node !== "object" || node === null) throw new Error(`unexpected schema node: ${String(node)}`);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "id") continue;
    if (key === "additionalProperties" && value === false) continue;
    if (key === "const") {
      out.enum = [value];
      continue;
    }
    out[key] = cleanChild(key, value);
  }
  return out;
}

function cleanChild(key: string, value: unknown): unknown {
  if (key === "properties" && typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
  }
  if ((key === "items" || key === "additionalProperties") && typeof value === "object" && value !== null) {
    return clean(value);
  }
  return value;
}

interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "date" | "boolean";
  jsonPath: string;
  description?: string;
  priority?: number;
}

interface CrdInput {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  spec: z.ZodType;
  status: z.ZodType;
  columns: PrinterColumn[];
  description: string;
}

function crd(input: CrdInput): JsonSchema {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${input.plural}.${GROUP}`, labels: { "app.kubernetes.io/name": "production-fixer" } },
    spec: {
      group: GROUP,
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.singular,
        shortNames: input.shortNames,
        categories: ["production-fixer"],
      },
      scope: "Namespaced",
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: input.columns,
          schema: {
            openAPIV3Schema: {
              description: input.description,
              type: "object",
              required: ["spec"],
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec: structuralSchema(input.spec),
                status: structuralSchema(input.status),
              },
            },
          },
        },
      ],
    },
  };
}

const age: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

export function incidentCrd(): JsonSchema {
  return crd({
    kind: "ProductionIncident",
    plural: "productionincidents",
    singular: "productionincident",
    shortNames: ["pinc"],
    spec: IncidentSpec,
    status: IncidentStatus,
    description: "A production failure that production-fixer noticed, investigated and diagnosed: one per root cause.",
    columns: [
      { name: "Phase", type: "string", jsonPath: ".status.phase" },
      { name: "Kind", type: "string", jsonPath: ".spec.target.kind", priority: 1 },
      { name: "Target", type: "string", jsonPath: ".spec.target.name" },
      { name: "Category", type: "string", jsonPath: ".status.diagnosis.category" },
      { name: "Summary", type: "string", jsonPath: ".status.diagnosis.summary" },
      { name: "Confidence", type: "number", jsonPath: ".status.diagnosis.confidence" },
      { name: "Occurrences", type: "integer", jsonPath: ".status.occurrences", priority: 1 },
      { name: "Mode", type: "string", jsonPath: ".status.diagnosis.mode", priority: 1 },
      age,
    ],
  });
}

export function alertCrd(): JsonSchema {
  return crd({
    kind: "ProductionAlert",
    plural: "productionalerts",
    singular: "productionalert",
    shortNames: ["palert"],
    spec: AlertSpec,
    status: AlertStatus,
    description: "An alert for production-fixer to investigate, created by hand, by CI/CD or by its Alertmanager webhook.",
    columns: [
      { name: "Alert", type: "string", jsonPath: ".spec.name" },
      { name: "Severity", type: "string", jsonPath: ".spec.severity" },
      { name: "State", type: "string", jsonPath: ".spec.state" },
      { name: "Phase", type: "string", jsonPath: ".status.phase" },
      { name: "Incident", type: "string", jsonPath: ".status.incidentRef.name" },
      age,
    ],
  });
}

/** File name → CRD object, as written to crds/. */
export function allCrds(): Record<string, JsonSchema> {
  return {
    "productionfixer.io_productionincidents.yaml": incidentCrd(),
    "productionfixer.io_productionalerts.yaml": alertCrd(),
  };
}
