import { IConstruct } from 'constructs';
import { Annotations, Aspects, IAspect } from 'cdktf';
import { POLICY_TEXT, policyAcknowledged, policyFinding, VALIDATION } from './messages';
import { RULES } from './policy-rules';

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

const acknowledgements = new WeakMap<IConstruct, Map<string, string>>();

/**
 * The credential policy: an aspect that checks every keyform construct in its scope against rules
 * such as "secret key without scopes" (`KF101`) and reports findings as annotations; error-level
 * findings fail synth. A finding is silenced on one construct with `CredentialPolicy.acknowledge`.
 */
export class CredentialPolicy implements IAspect {
  /** Adds the policy to a scope (usually the stack) and returns it. */
  public static addTo(scope: IConstruct, props: CredentialPolicyProps = {}): CredentialPolicy {
    const policy = new CredentialPolicy(props);
    Aspects.of(scope).add(policy);
    return policy;
  }

  /**
   * Accepts the risk a rule reports on exactly one construct, with the reason reviewers will read.
   * The finding becomes an info annotation that quotes the reason.
   */
  public static acknowledge(construct: IConstruct, ruleId: string, reason: string): void {
    const path = construct.node.path;
    if (!POLICY_TEXT[ruleId]) throw new Error(VALIDATION.unknownPolicyRule(path, ruleId, Object.keys(POLICY_TEXT)));
    if (reason.trim() === '') throw new Error(VALIDATION.acknowledgementWithoutReason(path, ruleId));
    let forConstruct = acknowledgements.get(construct);
    if (!forConstruct) acknowledgements.set(construct, (forConstruct = new Map()));
    forConstruct.set(ruleId, reason);
  }

  /** The reason a rule was acknowledged on a construct, if it was. */
  public static acknowledgement(construct: IConstruct, ruleId: string): string | undefined {
    return acknowledgements.get(construct)?.get(ruleId);
  }

  /** Every rule of the policy. */
  public static rules(): PolicyRule[] {
    return RULES.map((r) => ({ id: r.id, level: r.level === 'error' ? PolicyLevel.ERROR : PolicyLevel.WARNING, ...POLICY_TEXT[r.id] }));
  }

  private readonly props: CredentialPolicyProps;

  constructor(props: CredentialPolicyProps = {}) {
    this.props = props;
  }

  /** Checks one construct against every rule. */
  public visit(node: IConstruct): void {
    const disabled = new Set(this.props.disabledRules ?? []);
    for (const rule of RULES) {
      if (disabled.has(rule.id)) continue;
      const outcome = rule.check(node);
      if (outcome.status !== 'non-compliant') continue;
      const path = node.node.path;
      const reason = CredentialPolicy.acknowledgement(node, rule.id);
      if (reason !== undefined) {
        Annotations.of(node).addInfo(policyAcknowledged(rule.id, path, reason));
      } else if (rule.level === 'error' || this.props.warningsAsErrors) {
        Annotations.of(node).addError(policyFinding(rule.id, 'error', path, outcome.detail));
      } else {
        Annotations.of(node).addWarning(policyFinding(rule.id, 'warning', path, outcome.detail));
      }
    }
  }
}
