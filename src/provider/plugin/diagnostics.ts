/**
 * Diagnostics for Terraform: framework diagnostics to tfplugin6 messages (with attribute paths whose
 * steps follow the schema, so map keys become element_key_string), and thrown errors to diagnostics.
 */
import { DiagnosticError, type AttributePath, type BlockSchema, type Diagnostic } from './framework';
import { CtyCodecError, type AnyCtyType } from './cty-codec';
import { NO_REDACTION, type Redactor } from './logger';
import { MESSAGES, type RuntimeMessage } from './messages';
import { SEVERITY } from './tfplugin6-messages';

/** One tfplugin6 AttributePath.Step. */
export type PathStep = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

/** A tfplugin6 Diagnostic message. */
export interface ProtoDiagnostic {
  severity: number;
  summary: string;
  detail?: string;
  attribute?: { steps: PathStep[] };
}

type Cursor = { block: BlockSchema } | { type: AnyCtyType } | { nestedBlock: BlockSchema; collection: boolean } | undefined;

/** Converts a framework path to tfplugin6 steps, using the schema to tell map keys from attribute names. */
export function pathToSteps(path: AttributePath, schema?: BlockSchema): PathStep[] {
  let cur: Cursor = schema ? { block: schema } : undefined;
  const steps: PathStep[] = [];
  for (const step of path) {
    if (typeof step === 'number') {
      steps.push({ element_key_int: step });
      if (cur && 'type' in cur && Array.isArray(cur.type)) {
        const kind: string = cur.type[0];
        const arg: unknown = cur.type[1];
        cur = kind === 'tuple' ? { type: (arg as AnyCtyType[])[step] } : kind === 'list' || kind === 'set' ? { type: arg as AnyCtyType } : undefined;
      } else if (cur && 'nestedBlock' in cur && cur.collection) {
        cur = { block: cur.nestedBlock };
      } else cur = undefined;
      continue;
    }
    if (cur && 'type' in cur && Array.isArray(cur.type) && cur.type[0] === 'map') {
      steps.push({ element_key_string: step });
      cur = { type: cur.type[1] as AnyCtyType };
      continue;
    }
    steps.push({ attribute_name: step });
    if (cur && 'block' in cur) {
      const attr = cur.block.attributes[step];
      const nested = cur.block.blocks?.[step];
      cur = attr ? { type: attr.type } : nested ? (nested.nesting === 'single' ? { block: nested.block } : { nestedBlock: nested.block, collection: true }) : undefined;
    } else if (cur && 'type' in cur && Array.isArray(cur.type) && cur.type[0] === 'object') {
      cur = { type: (cur.type[1] as Record<string, AnyCtyType>)[step] };
    } else cur = undefined;
  }
  return steps;
}

/** Converts a framework diagnostic to its tfplugin6 form; the last point before Terraform, so it redacts. */
export function toProtoDiagnostic(d: Diagnostic, schema?: BlockSchema, redact: Redactor = NO_REDACTION): ProtoDiagnostic {
  const out: ProtoDiagnostic = {
    severity: d.severity === 'warning' ? SEVERITY.WARNING : SEVERITY.ERROR,
    summary: redact(d.summary),
  };
  if (d.detail) out.detail = redact(d.detail);
  if (d.attribute && d.attribute.length > 0) out.attribute = { steps: pathToSteps(d.attribute, schema) };
  return out;
}

/** A diagnostic from a runtime message. */
export function messageDiagnostic(msg: RuntimeMessage, attribute?: AttributePath): Diagnostic {
  return { severity: 'error', summary: msg.summary, detail: `${msg.detail} [${msg.code}]`, attribute };
}

/**
 * Converts anything thrown by a definition: DiagnosticError passes its diagnostics through, any other
 * Error becomes one error diagnostic carrying only its message (never its stack).
 */
export function errorToDiagnostics(err: unknown): Diagnostic[] {
  if (err instanceof DiagnosticError) return [...err.diagnostics];
  if (err instanceof CtyCodecError) return [messageDiagnostic(MESSAGES.invalidProviderValue('value', err.message), err.path)];
  if (err instanceof Error && err.message) return [{ severity: 'error', summary: err.message }];
  return [messageDiagnostic(MESSAGES.internalError)];
}

/** True when any diagnostic is an error. */
export function hasError(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
