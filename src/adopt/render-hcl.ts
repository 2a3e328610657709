/**
 * `keyform adopt --format hcl`: a Terraform configuration that adopts every object with `import`
 * blocks (Terraform ≥ 1.5). Files: `main.tf` (provider), `api_keys.tf`, `authorizations.tf` (one
 * resource per object, grants as their own resources) and `imports.tf` (safe to delete once applied).
 */
import type { Adoption, AdoptedAuthorization, AdoptedKey } from './adoption';
import { commentSafe, hclString } from './escape';

/** A generated file: name relative to the output directory, and its text. */
export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

const list = (values: readonly string[]) => `[${values.map(hclString).join(', ')}]`;

/** Aligned `name = value` lines at `indent`. */
function attributes(pairs: ReadonlyArray<readonly [string, string]>, indent = '  '): string[] {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`);
}

/** A `resource` block: its aligned attributes, then `body` lines. */
function resourceBlock(type: string, name: string, pairs: ReadonlyArray<readonly [string, string]>, body: readonly string[] = []): string[] {
  return [`resource "${type}" "${name}" {`, ...attributes(pairs), ...body, '}'];
}

/** The comment every adopted key carries: its secret cannot be recovered, and how to get a fresh one. */
export function secretNotice(k: AdoptedKey, lang: 'hcl' | 'ts'): string[] {
  const c = lang === 'hcl' ? '#' : '//';
  return [
    `${c} The value of ${commentSafe(k.key.id)} cannot be recovered: the API showed it once, when it was created, and keeps only`,
    `${c} a hash, so the state holds no value for this key. Consumers keep using the value they have.`,
    `${c} To have keyform issue and capture a fresh value, uncomment the rotation and the delivery below (after`,
    `${c} the import is applied): each rotation writes the new value to the file, never to the state, and the`,
    `${c} previous value keeps working for grace_period so no consumer is cut off.`,
  ];
}

function keyBlock(k: AdoptedKey): string {
  const key = k.key;
  const file = `secrets/${k.address}.key`;
  const pairs: [string, string][] = [];
  if (k.writeMid) pairs.push(['mid', hclString(key.mid)]);
  pairs.push(['name', hclString(key.name)], ['type', hclString(key.type)], ['mode', hclString(key.mode)]);
  if (key.scopes.length) pairs.push(['scopes', list([...key.scopes].sort())]);
  if (key.description !== null) pairs.push(['description', hclString(key.description)]);
  if (key.expires_at !== null) pairs.push(['expires_at', hclString(key.expires_at)]);
  return [
    `# ${commentSafe(key.id)}: ${commentSafe(key.type)} key, ${key.mode === 'live' ? 'LIVE' : 'test'} mode${key.scopes.length ? '' : ', no scopes = full access to its merchant'}.`,
    ...secretNotice(k, 'hcl'),
    ...resourceBlock('keyform_api_key', k.address, pairs, [
      '',
      '  # rotation {',
      '  #   every        = "90d"',
      '  #   grace_period = "24h"',
      '  # }',
      '  # secret_delivery {',
      `  #   file = "${file}"`,
      '  # }',
    ]),
  ].join('\n');
}

function authorizationBlocks(a: AdoptedAuthorization): string {
  const auth = a.authorization;
  const pairs: [string, string][] = [['name', hclString(auth.name)], ['kind', hclString(auth.kind)], ['owner_id', hclString(auth.owner_id)]];
  // mode is immutable: an adopted live authorization must say so, or the first plan replaces it.
  if (auth.mode === 'live') pairs.push(['mode', hclString(auth.mode)]);
  if (auth.capabilities.length) pairs.push(['capabilities', list([...auth.capabilities].sort())]);
  if (a.grantsMadeByHand) pairs.push(['grants', '"additive"']);
  const out = [
    `# ${commentSafe(auth.id)}: ${commentSafe(auth.kind)} authorization. Its issued secret cannot be recovered either; the tool keeps the one it holds.`,
    ...(a.grantsMadeByHand ? grantsNotice('#') : []),
    ...resourceBlock('keyform_oauth_authorization', a.address, pairs),
  ];
  for (const p of a.projects) {
    out.push(
      '',
      ...resourceBlock('keyform_project_access', p.address, [
        ['authorization_id', `keyform_oauth_authorization.${a.address}.id`],
        ['project_id', hclString(p.projectId)],
        ['role', hclString(p.role)],
      ]),
    );
  }
  for (const g of a.mcpServers) {
    const dependsOn = g.projectId ? a.projects.find((p) => p.projectId === g.projectId) : undefined;
    out.push(
      '',
      ...resourceBlock('keyform_mcp_server_grant', g.address, [
        ['authorization_id', `keyform_oauth_authorization.${a.address}.id`],
        ['mcp_server_id', hclString(g.serverId)],
        ...(dependsOn ? [['depends_on', `[keyform_project_access.${dependsOn.address}]`] as const] : []),
      ]),
    );
  }
  return out.join('\n');
}

/** Why an adopted authorization with grants made by hand is additive. */
export function grantsNotice(c: '#' | '//'): string[] {
  return [
    `${c} Its grants were made outside keyform. By default an authorization is authoritative and apply removes`,
    `${c} every grant no keyform grant resource made, these imported ones included: grants = "additive" keeps them.`,
  ];
}

function importBlock(to: string, id: string): string {
  return `import {\n  to = ${to}\n  id = ${hclString(id)}\n}`;
}

/** The provider block: `mid` when one merchant, `allow_live` only when live keys are adopted (and why). */
function mainTf(adoption: Adoption, generatedAt: string): string {
  const lines = [
    `# Generated by \`keyform adopt\` at ${commentSafe(generatedAt)}: ${adoption.keys.length} API key(s) and ${adoption.authorizations.length} authorization(s).`,
    '# `terraform plan` shows only imports; after `terraform apply`, the next plan is empty and imports.tf can be deleted.',
    '# The endpoint and credentials come from KEYFORM_ENDPOINT and KEYFORM_CLIENT_ID / KEYFORM_CLIENT_SECRET (or KEYFORM_TOKEN).',
    'terraform {',
    '  required_version = ">= 1.5.0"',
    '  required_providers {',
    '    keyform = {',
    '      source = "keyform/keyform"',
    '    }',
    '  }',
    '}',
    '',
    'provider "keyform" {',
  ];
  if (adoption.providerMid !== undefined) lines.push(`  mid = ${hclString(adoption.providerMid)}`);
  if (adoption.liveKeys + adoption.liveAuthorizations > 0) {
    lines.push(
      `  # This account holds ${adoption.liveKeys} live key(s) and ${adoption.liveAuthorizations} live authorization(s): without allow_live every plan refuses to manage them.`,
      '  # It lets this configuration change live credentials: review every plan (`keyform review`).',
      '  allow_live = true',
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Renders the adoption as Terraform files. */
export function renderHcl(adoption: Adoption, generatedAt: string): GeneratedFile[] {
  const imports: string[] = [];
  for (const k of adoption.keys) imports.push(importBlock(`keyform_api_key.${k.address}`, k.key.id));
  for (const a of adoption.authorizations) {
    imports.push(importBlock(`keyform_oauth_authorization.${a.address}`, a.authorization.id));
    for (const p of a.projects) imports.push(importBlock(`keyform_project_access.${p.address}`, p.importId));
    for (const g of a.mcpServers) imports.push(importBlock(`keyform_mcp_server_grant.${g.address}`, g.importId));
  }
  const join = (blocks: string[]) => (blocks.length ? `${blocks.join('\n\n')}\n` : '');
  return [
    { name: 'main.tf', text: mainTf(adoption, generatedAt) },
    { name: 'api_keys.tf', text: join(adoption.keys.map(keyBlock)) },
    { name: 'authorizations.tf', text: join(adoption.authorizations.map(authorizationBlocks)) },
    { name: 'imports.tf', text: join(imports) },
  ];
}
