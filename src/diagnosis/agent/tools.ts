// The agent's toolbox: read-only, namespace-bounded tools over a ClusterView.
// Every result is redacted, bounded in size, wrapped as untrusted data, given
// an evidence id the model can cite, and recorded in the ledger as seen.
import type Anthropic from "@anthropic-ai/sdk";
import { redact, redactValue } from "../../context/redact.js";
import type { ClusterView } from "../../context/view.js";
import type { EvidenceLedger } from "./ledger.js";
import { ToolInputError, type Scope } from "./scope.js";
import { METRICS_TOOLS, TOOL_INPUTS, isToolName, toolDefinitions, type ToolName } from "./tool-defs.js";
import { HANDLERS, type HandlerContext, type ToolData } from "./tool-handlers.js";
import { detectInjection, wrapUntrusted, type InjectionFinding } from "./untrusted.js";

/** The redaction collection uses; injected so tests can count or replace it. */
export interface Redactor {
  redact(text: string): { text: string; count: number };
  redactValue<T>(value: T): { value: T; count: number };
}

export const defaultRedactor: Redactor = { redact, redactValue };

export const DEFAULT_MAX_RESULT_CHARS = 6000;

export interface ToolBoxOptions {
  view: ClusterView;
  scope: Scope;
  ledger: EvidenceLedger;
  redactor?: Redactor;
  /** Upper bound on the text of one tool result. */
  maxResultChars?: number;
}

export interface ToolOutcome {
  content: string;
  isError: boolean;
  evidenceId?: string;
}

export interface ToolCallRecord {
  name: string;
  input: unknown;
  evidenceId?: string;
  error?: string;
}

export class ToolBox {
  readonly calls: ToolCallRecord[] = [];
  readonly findings: InjectionFinding[] = [];
  redactions = 0;
  private readonly redactor: Redactor;
  private readonly max: number;
  private readonly ctx: HandlerContext;

  constructor(private readonly opts: ToolBoxOptions) {
    this.redactor = opts.redactor ?? defaultRedactor;
    this.max = opts.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
    this.ctx = { view: opts.view, scope: opts.scope, redactValue: (v) => this.redactObject(v) };
  }

  /** The read-only tool definitions for this view (PromQL only when metrics exist). */
  definitions(): Anthropic.Tool[] {
    return toolDefinitions(this.hasMetrics());
  }

  /** Runs one tool call. Never throws: problems come back as error results the model can act on. */
  async run(name: string, input: unknown): Promise<ToolOutcome> {
    const record: ToolCallRecord = { name, input };
    this.calls.push(record);
    try {
      const data = await this.dispatch(name, input);
      return this.accept(data, record);
    } catch (err) {
      const message = err instanceof ToolInputError ? err.message : `tool ${name} failed: ${(err as Error).message ?? String(err)}`;
      record.error = this.redactor.redact(message).text;
      return { content: record.error, isError: true };
    }
  }

  private hasMetrics(): boolean {
    return this.opts.view.metrics !== undefined;
  }

  private async dispatch(name: string, input: unknown): Promise<ToolData> {
    if (!isToolName(name) || (METRICS_TOOLS.has(name) && !this.hasMetrics())) {
      throw new ToolInputError(`unknown tool ${name}; the tools are read-only: ${this.definitions().map((d) => d.name).join(", ")}`);
    }
    const parsed = TOOL_INPUTS[name].safeParse(input ?? {});
    if (!parsed.success) throw new ToolInputError(`invalid input for ${name}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ")}`);
    const handler = HANDLERS[name as ToolName] as (ctx: HandlerContext, input: unknown) => Promise<ToolData>;
    return handler(this.ctx, parsed.data);
  }

  private accept(data: ToolData, record: ToolCallRecord): ToolOutcome {
    const text = this.bound(this.redactText(data.text));
    const title = this.redactText(data.title);
    this.opts.ledger.add({ id: data.id, source: data.source, title, text }, true);
    const finding = detectInjection(data.id, text);
    if (finding) this.findings.push(finding);
    record.evidenceId = data.id;
    return { content: `[${data.id}] ${title}\n${wrapUntrusted(data.id, data.source, text)}`, isError: false, evidenceId: data.id };
  }

  private redactText(text: string): string {
    const r = this.redactor.redact(text);
    this.redactions += r.count;
    return r.text;
  }

  private redactObject<T>(value: T): T {
    const r = this.redactor.redactValue(value);
    this.redactions += r.count;
    return r.value;
  }

  private bound(text: string): string {
    if (text.length <= this.max) return text;
    return `${text.slice(0, this.max)}\n[truncated: ${text.length - this.max} more characters; narrow the query (grep, tailLines, selectors)]`;
  }
}
