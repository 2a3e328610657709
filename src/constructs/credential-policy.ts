/**
 * The credential policy aspect, after cdk-nag: every keyform construct in scope is checked against
 * the rules of policy-rules.ts and findings become annotations (errors fail synth). Acknowledgements
 * are construct metadata, so they travel with the tree: one made on a parent (a construct that groups
 * credentials, a stack, the app) covers its children, and every acknowledged finding is written into
 * the synthesized Terraform JSON beside the resource (`"//": {"keyformPolicy": ...}`) for auditors.
 * A rule that throws is reported as an error finding on that construct; the other rules and
 * constructs are still checked.
 */
import { IConstruct } from 'constructs';
import { Annotations, Aspects, IAspect, TerraformElement, TerraformStack } from 'cdktf';
import { redactSecrets } from '../model/redaction';
import { KeyformProvider } from './keyform-provider';
import { policyAcknowledged, policyFinding, policyRuleFailed, VALIDATION } from './messages';
import { RULES, ruleById } from './policy-rules';

/** How serious a policy finding is. */
export enum PolicyLevel {
  /** Fails synth unless acknowledged. */
  ERROR = 'error',
  /** Reported, synth continues. */
  WARNING = 'warning',
}

/** A rule of the credential policy, for docs and tooling. */
export interface PolicyRule {
  /** Stable id, e.g. `KF101`. */
  readonly id: string;
  /** Error (fails synth) or warning. */
  readonly level: PolicyLevel;
  /** One-line title. */
  readonly title: string;
  /** Why the finding matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Options of the credential policy. */
export interface CredentialPolicyProps {
  /** Report warnings as errors, so that every finding fails synth unless acknowledged. Default false. */
  readonly warningsAsErrors?: boolean;
  /** Rule ids to skip entirely (prefer acknowledging per construct with a reason). */
  readonly disabledRules?: string[];
}

/** An acknowledgement that applies to a construct: the reason, and the path of the construct it was made on. */
interface Acknowledgement {
  readonly reason: string;
  readonly at: string;
}

/** What the synthesized JSON records of one acknowledged finding. */
interface AcknowledgedFinding {
  readonly rule: string;
  readonly level: string;
  readonly finding: string;
  readonly reason: string;
  readonly acknowledgedAt: string;
}

/** The longest error text of a failed rule that a finding quotes. */
const MAX_FAILURE_DETAIL = 300;

/**
 * The credential policy: an aspect that checks every keyform construct in its scope against rules
 * such as "secret key without scopes" (`KF101`) and reports findings as annotations; error-level
 * findings fail synth. A finding is silenced with `CredentialPolicy.acknowledge`, on the construct
 * itself or on any construct above it.
 */
export class CredentialPolicy implements IAspect {
  /**
   * The construct metadata type of an acknowledgement: `{ ruleId, reason }` entries added with
   * `node.addMetadata`. Any copy of keyform (and both CDK lines) reads the same entries.
   */
  public static readonly ACKNOWLEDGEMENT_METADATA = 'keyform/policy-acknowledgement';

  /** Adds the policy to a scope (usually the stack) and returns it. */
  public static addTo(scope: IConstruct, props: CredentialPolicyProps = {}): CredentialPolicy {
    const policy = new CredentialPolicy(props);
    Aspects.of(scope).add(policy);
    return policy;
  }

  /**
   * Accepts the risk a rule reports on a construct and every construct below it (acknowledge on a
   * stack to cover the whole stack), with the reason reviewers will read. Each finding it covers
   * becomes an info annotation quoting the reason, and is recorded in the synthesized JSON beside
   * the resource. The nearest acknowledgement wins; on one construct the last one wins.
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    const path = construct.node.path;
    if (!ruleById(ruleId)) throw new Error(VALIDATION.unknownPolicyRule(path, ruleId, RULES.map((r) => r.id)));
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(VALIDATION.acknowledgementWithoutReason(path, ruleId));
    construct.node.addMetadata(CredentialPolicy.ACKNOWLEDGEMENT_METADATA, { ruleId, reason });
  }

  /** The reason a rule is acknowledged for a construct (on itself or inherited from a parent), if it is. */
  public static acknowledgement(construct: IConstruct, ruleId: string): string | undefined {
    return acknowledgementOf(construct, ruleId)?.reason;
  }

  /** Every rule of the policy. */
  public static rules(): PolicyRule[] {
    return RULES.map((r) => ({
      id: r.id,
      level: r.level === 'error' ? PolicyLevel.ERROR : PolicyLevel.WARNING,
      title: r.title,
      explanation: r.explanation,
      fix: r.fix,
    }));
  }

  private readonly props: CredentialPolicyProps;

  constructor(props: CredentialPolicyProps = {}) {
    this.props = props;
  }

  /** Checks one construct against every rule. */
  public visit(node: IConstruct): void {
    const disabled = new Set(this.props.disabledRules ?? []);
    const path = node.node.path;
    const acknowledged: AcknowledgedFinding[] = [];
    for (const rule of RULES) {
      if (disabled.has(rule.id)) continue;
      let outcome;
      try {
        outcome = rule.check(node);
      } catch (err) {
        // Fail closed: an unchecked construct is not a compliant one, and the next rule still runs.
        Annotations.of(node).addError(policyRuleFailed(rule, path, failureDetail(node, err)));
        continue;
      }
      if (outcome.status !== 'non-compliant') continue;
      const level = rule.level === 'error' || this.props.warningsAsErrors ? 'error' : 'warning';
      const ack = acknowledgementOf(node, rule.id);
      if (ack !== undefined) {
        Annotations.of(node).addInfo(policyAcknowledged(rule.id, path, ack.reason, ack.at));
        acknowledged.push({ rule: rule.id, level, finding: outcome.detail, reason: ack.reason, acknowledgedAt: ack.at });
      } else if (level === 'error') {
        Annotations.of(node).addError(policyFinding(rule, 'error', path, outcome.detail));
      } else {
        Annotations.of(node).addWarning(policyFinding(rule, 'warning', path, outcome.detail));
      }
    }
    if (acknowledged.length > 0 && TerraformElement.isTerraformElement(node)) {
      // `//` is Terraform JSON's comment property: kept in cdk.tf.json, ignored by Terraform.
      node.addOverride('//.keyformPolicy.acknowledged', acknowledged);
    }
  }
}

/**
 * The acknowledgement of a rule that covers a construct: the nearest one on the construct or its
 * parents. Entries that are not well formed (no reason) acknowledge nothing.
 */
function acknowledgementOf(construct: IConstruct, ruleId: string): Acknowledgement | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const entries = scopes[i].node.metadata.filter((m) => m.type === CredentialPolicy.ACKNOWLEDGEMENT_METADATA);
    for (let j = entries.length - 1; j >= 0; j--) {
      const data = entries[j].data as { ruleId?: unknown; reason?: unknown } | undefined;
      if (data?.ruleId === ruleId && typeof data.reason === 'string' && data.reason.trim() !== '') {
        return { reason: data.reason, at: scopes[i].node.path };
      }
    }
  }
  return undefined;
}

/**
 * The error of a rule that threw, as a finding may quote it: first line only, redacted (literal
 * provider credentials of the stack and anything shaped like a secret), and capped.
 */
function failureDetail(node: IConstruct, err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  let known: string[] = [];
  try {
    known = TerraformStack.of(node)
      .node.findAll()
      .filter(KeyformProvider.isKeyformProvider)
      .flatMap((p) => [p.config.token, p.config.clientSecret])
      .filter((v): v is string => typeof v === 'string');
  } catch {
    // Outside a stack there is no provider whose credentials could be quoted.
  }
  const line = redactSecrets(text.split('\n')[0], known);
  return line.length > MAX_FAILURE_DETAIL ? `${line.slice(0, MAX_FAILURE_DETAIL)}…` : line;
}
