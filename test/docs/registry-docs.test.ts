/**
 * The registry docs (docs/index.md, docs/resources, docs/data-sources, docs/guides) against the
 * provider's real schema: every resource, data source and attribute is documented in the right
 * section, nothing documented is missing from the schema, and every HCL example is valid Terraform.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { join } from 'node:path';
import type { AttributeSchema, BlockSchema, CtyType } from '../../src/provider/framework';
import { keyformProvider } from '../../src/provider/keyform';

const DOCS = join(__dirname, '..', '..', 'docs');

function read(rel: string): string {
  return readFileSync(join(DOCS, rel), 'utf8');
}

/** Text of a `## Heading` section, up to the next `## ` heading. */
function section(doc: string, heading: string): string | undefined {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Bullets of the form "- `name` - text", with their text. */
function bullets(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of (text ?? '').matchAll(/^\s*- `([a-z_]+)` - (.*)$/gm)) out.set(m[1], m[2]);
  return out;
}

/** Field names of object types nested in an attribute's type (e.g. `list(object({scope, ...}))`). */
function objectFields(t: CtyType): string[] {
  if (Array.isArray(t)) {
    if (t[0] === 'object') return Object.keys(t[1]);
    return objectFields(t[1] as CtyType);
  }
  return [];
}

interface Expected {
  /** name -> kind */
  readonly args: Map<string, AttributeSchema | 'block'>;
  readonly attrs: Map<string, AttributeSchema>;
  /** Names that may appear anywhere (nested block attributes, object fields). */
  readonly nested: Set<string>;
}

function expected(schema: BlockSchema): Expected {
  const args = new Map<string, AttributeSchema | 'block'>();
  const attrs = new Map<string, AttributeSchema>();
  const nested = new Set<string>();
  for (const [name, a] of Object.entries(schema.attributes)) {
    if (a.required || a.optional) args.set(name, a);
    else attrs.set(name, a);
    objectFields(a.type).forEach((f) => nested.add(f));
  }
  for (const [name, b] of Object.entries(schema.blocks ?? {})) {
    args.set(name, 'block');
    Object.keys(b.block.attributes).forEach((n) => nested.add(n));
  }
  return { args, attrs, nested };
}

function checkSchemaDoc(doc: string, schema: BlockSchema): void {
  const e = expected(schema);
  const argSection = bullets(section(doc, 'Argument Reference'));
  const attrSection = bullets(section(doc, 'Attribute Reference'));
  for (const [name, a] of e.args) {
    expect({ name, documented: argSection.has(name) }).toEqual({ name, documented: true });
    const text = argSection.get(name)!;
    if (a !== 'block') {
      expect({ name, text: text.startsWith(a.required ? '(Required)' : '(Optional') }).toEqual({ name, text: true });
      if (a.sensitive) expect({ name, sensitive: text.includes('Sensitive') }).toEqual({ name, sensitive: true });
    }
  }
  for (const [name, a] of e.attrs) {
    expect({ name, documented: attrSection.has(name) }).toEqual({ name, documented: true });
    if (a.sensitive) expect({ name, sensitive: attrSection.get(name)!.includes('(Sensitive)') }).toEqual({ name, sensitive: true });
  }
  for (const name of e.nested) {
    expect({ name, documented: argSection.has(name) || attrSection.has(name) }).toEqual({ name, documented: true });
  }
  // Nothing documented that the schema does not have.
  const known = new Set([...e.args.keys(), ...e.attrs.keys(), ...e.nested]);
  for (const name of [...argSection.keys(), ...attrSection.keys()]) {
    expect({ name, inSchema: known.has(name) }).toEqual({ name, inSchema: true });
  }
}

function checkFrontMatter(doc: string, title: RegExp): void {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(doc);
  expect(m).not.toBeNull();
  expect(m![1]).toMatch(/^page_title: ".+"$/m);
  expect(m![1]).toMatch(title);
  expect(m![1]).toMatch(/^description: \|-$/m);
}

const docName = (typeName: string) => typeName.replace(/^keyform_/, '');

describe('registry docs cover the provider schema', () => {
  it('documents every provider argument in docs/index.md with its environment variable', () => {
    const doc = read('index.md');
    checkFrontMatter(doc, /page_title: "keyform Provider"/);
    checkSchemaDoc(doc, keyformProvider.schema);
    const args = bullets(section(doc, 'Argument Reference'));
    for (const [name, env] of Object.entries({ endpoint: 'KEYFORM_ENDPOINT', token: 'KEYFORM_TOKEN', client_id: 'KEYFORM_CLIENT_ID', client_secret: 'KEYFORM_CLIENT_SECRET', mid: 'KEYFORM_MID', allow_live: 'KEYFORM_ALLOW_LIVE' })) {
      expect({ name, env: args.get(name)?.includes(env) }).toEqual({ name, env: true });
    }
    expect(doc).toContain('keyform provider install');
  });

  describe.each(Object.keys(keyformProvider.resources))('resource %s', (typeName) => {
    const rel = `resources/${docName(typeName)}.md`;
    it(`has ${rel} with example, arguments, attributes and import`, () => {
      expect(existsSync(join(DOCS, rel))).toBe(true);
      const doc = read(rel);
      checkFrontMatter(doc, new RegExp(`page_title: "${typeName} Resource - keyform"`));
      for (const h of ['Example Usage', 'Argument Reference', 'Attribute Reference', 'Import']) expect({ h, present: section(doc, h) !== undefined }).toEqual({ h, present: true });
      expect(section(doc, 'Example Usage')).toContain(`resource "${typeName}"`);
      expect(section(doc, 'Import')).toContain(`terraform import ${typeName}.`);
      checkSchemaDoc(doc, keyformProvider.resources[typeName].schema);
    });
  });

  describe.each(Object.keys(keyformProvider.dataSources))('data source %s', (typeName) => {
    const rel = `data-sources/${docName(typeName)}.md`;
    it(`has ${rel} with example, arguments and attributes`, () => {
      expect(existsSync(join(DOCS, rel))).toBe(true);
      const doc = read(rel);
      checkFrontMatter(doc, new RegExp(`page_title: "${typeName} Data Source - keyform"`));
      expect(section(doc, 'Example Usage')).toContain(`data "${typeName}"`);
      checkSchemaDoc(doc, keyformProvider.dataSources[typeName].schema);
    });
  });

  describe.each(Object.keys(keyformProvider.ephemeralResources ?? {}))('ephemeral resource %s', (typeName) => {
    const rel = `ephemeral-resources/${docName(typeName)}.md`;
    it(`has ${rel} with example, arguments and attributes`, () => {
      expect(existsSync(join(DOCS, rel))).toBe(true);
      const doc = read(rel);
      checkFrontMatter(doc, new RegExp(`page_title: "${typeName} Ephemeral Resource - keyform"`));
      expect(section(doc, 'Example Usage')).toContain(`ephemeral "${typeName}"`);
      checkSchemaDoc(doc, keyformProvider.ephemeralResources![typeName].schema);
    });
  });

  it.each(['guides/rotation.md', 'guides/gitops-review.md', 'guides/ephemeral-credentials.md', 'guides/introspection.md', 'guides/adopting-an-account.md', 'guides/least-privilege-from-usage.md', 'guides/splitting-an-estate.md'])('has the guide %s', (rel) => {
    checkFrontMatter(read(rel), /page_title: ".+ - keyform"/);
  });
});

describe('registry docs examples', () => {
  const files = ['index.md', 'guides/rotation.md', 'guides/ephemeral-credentials.md', 'guides/adopting-an-account.md', 'guides/least-privilege-from-usage.md', 'ephemeral-resources/access_token.md', ...['resources', 'data-sources'].flatMap((d) => ['api_key', 'oauth_authorization', 'project_access', 'mcp_server_grant', 'scopes', 'projects', 'mcp_servers'].map((n) => `${d}/${n}.md`))].filter((f) => existsSync(join(DOCS, f)));
  const blocks = files.flatMap((f) => [...read(f).matchAll(/```terraform\n([\s\S]*?)```/g)].map((m, i) => ({ where: `${f} #${i + 1}`, hcl: m[1] })));

  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
  });

  it.each(blocks)('$where is valid, canonically formatted HCL (terraform fmt)', ({ hcl }) => {
    const r = spawnSync('terraform', ['fmt', '-'], { input: hcl, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: devNull } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(hcl);
  });

  it('never names a type that does not exist', () => {
    const types = new Set([
      ...Object.keys(keyformProvider.resources).map((t) => `resource:${t}`),
      ...Object.keys(keyformProvider.dataSources).map((t) => `data:${t}`),
      ...Object.keys(keyformProvider.ephemeralResources ?? {}).map((t) => `ephemeral:${t}`),
    ]);
    for (const { where, hcl } of blocks) {
      for (const m of hcl.matchAll(/^(resource|data|ephemeral) "(keyform_[a-z_]+)"/gm)) {
        expect({ where, type: m[2], known: types.has(`${m[1]}:${m[2]}`) }).toEqual({ where, type: m[2], known: true });
      }
    }
  });
});
