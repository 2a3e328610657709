/**
 * The rules of the credential policy, each in one place: its id, level, texts (title, why it
 * matters, how to fix it) and its check. A check is a pure function of one construct: it reads the
 * tree, never changes it, and answers compliant, non-compliant (with a detail) or not applicable.
 * Constructs are recognised by their `Symbol.for` brands (`ApiKey.isApiKey`, ...), never by
 * `instanceof`, so a construct from another copy of keyform is still checked.
 */
import { IConstruct } from 'constructs';
import { DEFAULT_GRACE_PERIOD, DEFAULT_GRACE_PERIOD_SECONDS } from '../model/rules/defaults';
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { ApiKey } from './api-key';
import { Capability } from './capability';
import { unresolved } from './checks';
import { KeyformProvider } from './keyform-provider';
import { KeyMode } from './key-mode';
import { KeyType } from './key-type';
import { McpServerGrant } from './mcp-server-grant';
import { OAuthAuthorization } from './oauth-authorization';

/** The result of one rule on one construct. */
export type RuleOutcome =
  | { readonly status: 'not-applicable' }
  | { readonly status: 'compliant' }
  | { readonly status: 'non-compliant'; readonly detail: string };

/** A policy rule: its texts and a pure check of one construct. */
export interface RuleDefinition {
  /** Stable id, e.g. `KF101`. */
  readonly id: string;
  /** `error` fails synth unless acknowledged; `warning` is reported and synth continues. */
  readonly level: 'error' | 'warning';
  /** One-line title. */
  readonly title: string;
  /** Why a finding matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The check: reads the construct (and the tree around it), never changes anything. */
  readonly check: (construct: IConstruct) => RuleOutcome;
}

const NOT_APPLICABLE: RuleOutcome = { status: 'not-applicable' };
const COMPLIANT: RuleOutcome = { status: 'compliant' };
const fail = (detail: string): RuleOutcome => ({ status: 'non-compliant', detail });

function writeScopes(key: ApiKey): string[] {
  return key.scopeStrings.filter((s) => !unresolved(s) && s.endsWith(':write'));
}

/** Every rule of the credential policy, in id order. */
export const RULES: readonly RuleDefinition[] = [
  {
    id: 'KF101',
    level: 'error',
    title: 'Secret key without scopes',
    explanation: 'a secret key with no scopes has full access to its account (every resource, read and write)',
    fix: "list only the scopes the consumer needs, e.g. Scope.read('customers')",
    check: (c) => {
      if (!ApiKey.isApiKey(c) || c.keyType !== KeyType.SECRET) return NOT_APPLICABLE;
      return c.scopeStrings.length === 0 ? fail(`secret key "${c.config.name}" has no scopes`) : COMPLIANT;
    },
  },
  {
    id: 'KF102',
    level: 'warning',
    title: 'Live key with write scopes',
    explanation: 'a live key with write scopes can change real data (refunds, charges, customers)',
    fix: 'use read scopes only, or keep the write scopes as narrow as possible and acknowledge the rule with a reason',
    check: (c) => {
      if (!ApiKey.isApiKey(c) || c.mode !== KeyMode.LIVE) return NOT_APPLICABLE;
      const writes = writeScopes(c);
      return writes.length > 0 ? fail(`live key "${c.config.name}" has write scopes ${writes.join(', ')}`) : COMPLIANT;
    },
  },
  {
    id: 'KF103',
    level: 'error',
    title: 'Live secret key without expiry or rotation',
    explanation: 'a live secret key that never expires and is never rotated stays valid forever if it leaks',
    fix: 'set rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) } or expiresAt',
    check: (c) => {
      if (!ApiKey.isApiKey(c) || c.mode !== KeyMode.LIVE || c.keyType !== KeyType.SECRET) return NOT_APPLICABLE;
      return c.config.rotation || c.config.expiresAt ? COMPLIANT : fail(`live secret key "${c.config.name}" has neither rotation nor expiresAt`);
    },
  },
  {
    id: 'KF104',
    level: 'warning',
    title: 'Powerful authorization capability',
    explanation: "capabilities apps:admin and secrets:edit let a tool manage apps or read and change secrets on the owner's behalf",
    fix: 'drop apps:admin / secrets:edit unless the tool really needs them',
    check: (c) => {
      if (!OAuthAuthorization.isOAuthAuthorization(c)) return NOT_APPLICABLE;
      const powerful = c.capabilityNames.filter((n) => n === Capability.APPS_ADMIN.name || n === Capability.SECRETS_EDIT.name);
      return powerful.length > 0 ? fail(`authorization "${c.config.name}" gains ${powerful.join(' and ')}`) : COMPLIANT;
    },
  },
  {
    id: 'KF105',
    level: 'error',
    title: 'Public or tokenization key with write scopes',
    explanation: 'public and tokenization keys are embedded in clients and are not secret; write scopes on them let anyone who sees them change data',
    fix: 'give public and tokenization keys read scopes only, and use a secret key on a server for writes',
    check: (c) => {
      if (!ApiKey.isApiKey(c) || c.keyType === KeyType.SECRET) return NOT_APPLICABLE;
      const writes = writeScopes(c);
      return writes.length > 0 ? fail(`${c.keyType} key "${c.config.name}" has write scopes ${writes.join(', ')}`) : COMPLIANT;
    },
  },
  {
    id: 'KF106',
    level: 'error',
    title: 'MCP server reachable without the mcp capability',
    explanation: 'an MCP-server grant on an authorization without the mcp capability is rejected by the API, or is a sign of a confused setup',
    fix: 'add Capability.MCP to the authorization, or remove the MCP-server grant',
    check: (c) => {
      if (!McpServerGrant.isMcpServerGrant(c)) return NOT_APPLICABLE;
      const authorization = c._authorization ?? authorizationOf(c);
      if (!authorization) return NOT_APPLICABLE;
      return authorization.hasCapability(Capability.MCP)
        ? COMPLIANT
        : fail(`authorization "${authorization.config.name}" may reach MCP server "${c.config.mcpServerId}" but lacks capability "mcp"`);
    },
  },
  {
    id: 'KF107',
    level: 'warning',
    title: 'Provider credential written into the configuration',
    explanation: 'a literal token or client secret on KeyformProvider is written in plain text into cdk.tf.json',
    fix: 'leave token/clientSecret unset and export KEYFORM_TOKEN or KEYFORM_CLIENT_ID/KEYFORM_CLIENT_SECRET, or pass a sensitive TerraformVariable',
    check: (c) => {
      if (!KeyformProvider.isKeyformProvider(c)) return NOT_APPLICABLE;
      const literal = (['token', 'clientSecret'] as const).filter((k) => c.config[k] !== undefined && !Token.isUnresolved(c.config[k]));
      return literal.length > 0 ? fail(`provider sets ${literal.join(' and ')} as a literal`) : COMPLIANT;
    },
  },
  {
    id: 'KF108',
    level: 'warning',
    title: 'Live key delivered to a file',
    explanation:
      'a file exists only on the machine that ran the apply: a scheduled rotation on a throw-away CI runner writes the new secret there and the runner discards it, so the consumer keeps the old secret and is cut off when the grace period ends',
    fix: "deliver live keys to a durable secret store through secretDelivery.command, e.g. { command: 'vault kv put -mount=secret payments/checkout value=-', inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'] }, or acknowledge the rule if the file is on storage the consumer reads and every apply runs on that machine",
    check: (c) => {
      if (!ApiKey.isApiKey(c) || c.mode !== KeyMode.LIVE) return NOT_APPLICABLE;
      const file = c.config.secretDelivery?.file;
      if (file === undefined || file === '') return COMPLIANT;
      return fail(`live key "${c.config.name}" is delivered to the file ${unresolved(file) ? '(a reference)' : `"${file}"`}`);
    },
  },
  {
    id: 'KF109',
    level: 'warning',
    title: 'Grace period not shorter than the rotation interval',
    explanation:
      'the previous secret still works when the next rotation issues a new one, so several secrets of the key work at once (the API keeps at most ten and then refuses to rotate)',
    fix: 'choose a grace period shorter than rotation.every, e.g. rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) }',
    check: (c) => {
      if (!ApiKey.isApiKey(c) || !c.config.rotation) return NOT_APPLICABLE;
      const { every, gracePeriod } = c.config.rotation;
      const grace = gracePeriod ? gracePeriod.toSeconds() : DEFAULT_GRACE_PERIOD_SECONDS;
      if (grace < every.toSeconds()) return COMPLIANT;
      return fail(`key "${c.config.name}" rotates every ${every.toString()} with a grace period of ${gracePeriod ? gracePeriod.toString() : `${DEFAULT_GRACE_PERIOD} (the default)`}`);
    },
  },
];

/** The authorization an L1 grant points at, found by resolving its `authorizationId` reference. */
function authorizationOf(grant: McpServerGrant): OAuthAuthorization | undefined {
  const stack = TerraformStack.of(grant);
  const resolve = (value: string): unknown => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  const reference = resolve(grant.config.authorizationId);
  if (typeof reference !== 'string') return undefined;
  return stack.node
    .findAll()
    .find((c): c is OAuthAuthorization => OAuthAuthorization.isOAuthAuthorization(c) && reference === resolve(c.id));
}

/** The rule with this id, if there is one. */
export function ruleById(id: string): RuleDefinition | undefined {
  return RULES.find((r) => r.id === id);
}
