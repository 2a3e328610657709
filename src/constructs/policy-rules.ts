import { IConstruct } from 'constructs';
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

/** A policy rule: a pure function of a construct (it reads the tree, never changes it). */
export interface RuleDefinition {
  readonly id: string;
  readonly level: 'error' | 'warning';
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
    check: (c) => {
      if (!(ApiKey.isApiKey(c)) || c.keyType !== KeyType.SECRET) return NOT_APPLICABLE;
      return c.scopeStrings.length === 0 ? fail(`secret key "${c.config.name}" has no scopes`) : COMPLIANT;
    },
  },
  {
    id: 'KF102',
    level: 'warning',
    check: (c) => {
      if (!(ApiKey.isApiKey(c)) || c.mode !== KeyMode.LIVE) return NOT_APPLICABLE;
      const writes = writeScopes(c);
      return writes.length > 0 ? fail(`live key "${c.config.name}" has write scopes ${writes.join(', ')}`) : COMPLIANT;
    },
  },
  {
    id: 'KF103',
    level: 'error',
    check: (c) => {
      if (!(ApiKey.isApiKey(c)) || c.mode !== KeyMode.LIVE || c.keyType !== KeyType.SECRET) return NOT_APPLICABLE;
      return c.config.rotation || c.config.expiresAt ? COMPLIANT : fail(`live secret key "${c.config.name}" has neither rotation nor expiresAt`);
    },
  },
  {
    id: 'KF104',
    level: 'warning',
    check: (c) => {
      if (!(OAuthAuthorization.isOAuthAuthorization(c))) return NOT_APPLICABLE;
      const powerful = c.capabilityNames.filter((n) => n === Capability.APPS_ADMIN.name || n === Capability.SECRETS_EDIT.name);
      return powerful.length > 0 ? fail(`authorization "${c.config.name}" gains ${powerful.join(' and ')}`) : COMPLIANT;
    },
  },
  {
    id: 'KF105',
    level: 'error',
    check: (c) => {
      if (!(ApiKey.isApiKey(c)) || c.keyType === KeyType.SECRET) return NOT_APPLICABLE;
      const writes = writeScopes(c);
      return writes.length > 0 ? fail(`${c.keyType} key "${c.config.name}" has write scopes ${writes.join(', ')}`) : COMPLIANT;
    },
  },
  {
    id: 'KF106',
    level: 'error',
    check: (c) => {
      if (!(McpServerGrant.isMcpServerGrant(c))) return NOT_APPLICABLE;
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
    check: (c) => {
      if (!(KeyformProvider.isKeyformProvider(c))) return NOT_APPLICABLE;
      const literal = (['token', 'clientSecret'] as const).filter((k) => c.config[k] !== undefined && !Token.isUnresolved(c.config[k]));
      return literal.length > 0 ? fail(`provider sets ${literal.join(' and ')} as a literal`) : COMPLIANT;
    },
  },
  {
    id: 'KF108',
    level: 'warning',
    check: (c) => {
      if (!(c instanceof ApiKey) || c.mode !== KeyMode.LIVE) return NOT_APPLICABLE;
      const file = c.config.secretDelivery?.file;
      if (file === undefined || file === '') return COMPLIANT;
      return fail(`live key "${c.config.name}" is delivered to the file ${unresolved(file) ? '(a reference)' : `"${file}"`}`);
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
