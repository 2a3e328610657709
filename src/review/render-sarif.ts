/**
 * Renders a review as SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for code-scanning
 * tools: one run of the `keyform` driver, one rule per change class (with its name, descriptions and
 * help), one result per finding with its level from the class's risk, located at the resource address
 * (a logical location), at the CDKTF construct path when the stack was synthesized by CDKTF, and at
 * the configuration file and line that declares it when that file is beside the plan.
 */
import { createHash } from 'node:crypto';
import { relative, resolve, sep } from 'node:path';
import { VERSION } from '../version';
import { CHANGE_CLASSES, CLASS_INFO, type ChangeClass } from './change-class';
import type { Finding } from './finding';
import { plainText } from './render-text';
import { terminalSafeDeep } from './safe-text';
import type { Scrubber } from './secret-scrub';
import { declarationAddress } from './stack-sources';
import type { StackReview } from './stacks';

/** The `$schema` a SARIF 2.1.0 log names: the OASIS schema (errata 01). */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Where keyform is documented (`tool.driver.informationUri`). */
export const KEYFORM_INFORMATION_URI = 'https://github.com/keyform/keyform';

/** Where the classes are explained (each rule's `helpUri`). */
export const REVIEW_GUIDE_URI = `${KEYFORM_INFORMATION_URI}/blob/main/docs/guides/gitops-review.md`;

/** SARIF result level of each class: what needs a human before merge is an error. */
export const SARIF_LEVEL: Readonly<Record<ChangeClass, 'error' | 'warning' | 'note'>> = {
  escalation: 'error',
  'new-live': 'error',
  'mode-change': 'error',
  revocation: 'warning',
  other: 'warning',
  rotation: 'note',
  new: 'note',
  'de-escalation': 'note',
  cosmetic: 'note',
};

/** GitHub code scanning's `security-severity` (0-10) of each class. */
const SECURITY_SEVERITY: Readonly<Record<ChangeClass, string>> = {
  escalation: '8.5',
  'new-live': '7.0',
  'mode-change': '7.0',
  revocation: '5.0',
  other: '4.0',
  rotation: '2.0',
  new: '2.0',
  'de-escalation': '1.0',
  cosmetic: '0.5',
};

/** What a reviewer does about each class (each rule's help). */
const HELP: Readonly<Record<ChangeClass, string>> = {
  escalation:
    'A credential gains power or its secret gets a new path. Confirm that the credential needs the new access (or that the new delivery destination is yours and durable) and get the approval your team requires for escalations before merging.',
  'new-live': 'A credential that can touch live data is created. Check its scopes or capabilities are the least it needs, that it expires or rotates, and where its secret goes.',
  'mode-change': 'A key moves between test and live mode (a replacement: its current secret stops working). Moving to live gives it real data; confirm that is intended.',
  revocation: 'A credential or an access is removed at apply. Make sure nothing still uses it, or that its replacement is deployed first.',
  other: 'A change keyform does not rank further. Read the sentence and decide.',
  rotation: 'A secret is replaced. Consumers get the new secret through its delivery; the previous one keeps working through the grace period when there is one.',
  new: 'A credential limited to test data is created.',
  'de-escalation': 'A credential loses power. Make sure nothing depended on the removed access.',
  cosmetic: 'A name or description changes. Nothing about access changes.',
};

/** The rule id of a class, e.g. `keyform/escalation`. */
export function sarifRuleId(c: ChangeClass): string {
  return `keyform/${c}`;
}

function ruleName(c: ChangeClass): string {
  return CLASS_INFO[c].title.replace(/(^|[\s-])(\w)/g, (_m, _s: string, ch: string) => ch.toUpperCase());
}

/** Options of {@link renderSarif}. */
export interface SarifOptions {
  /** Paths in `artifactLocation.uri` are relative to this directory (default: the working directory). */
  readonly sourceRoot?: string;
}

/** A relative URI reference for a file path (POSIX separators, each segment percent-encoded). */
function fileUri(file: string, root: string): string {
  return relative(root, file).split(sep).map(encodeURIComponent).join('/');
}

function message(f: Finding): string {
  const mark = f.live === true ? ' (LIVE)' : f.live === 'unknown' ? ' (maybe LIVE)' : '';
  return `${plainText(f.subject)}${mark} ${plainText(f.predicate)}`;
}

/** The SARIF log of one or more reviewed stacks; every string passes through `scrubber`. */
export function renderSarif(stacks: readonly StackReview[], scrubber: Scrubber, opts: SarifOptions = {}): string {
  const root = opts.sourceRoot ?? process.cwd();
  const many = stacks.length > 1;
  const results: unknown[] = [];
  for (const stack of stacks) {
    const entries: Array<{ f: Finding; drift: boolean }> = [
      ...stack.review.findings.map((f) => ({ f, drift: false })),
      ...stack.review.drift.map((f) => ({ f, drift: true })),
    ];
    for (const { f, drift } of entries) {
      const source = stack.sources.resources.get(declarationAddress(f.address));
      const text = `${drift ? 'Changed outside Terraform: ' : ''}${message(f)}${many ? ` [stack ${stack.name}]` : ''}`;
      const logicalLocations: unknown[] = [{ name: f.address, fullyQualifiedName: many ? `${stack.name}/${f.address}` : f.address, kind: 'resource' }];
      if (source?.constructPath) logicalLocations.push({ name: source.constructPath.split('/').pop(), fullyQualifiedName: source.constructPath, kind: 'construct' });
      const artifact = source?.file ?? (stack.planPath === '-' ? undefined : stack.planPath);
      const physicalLocation = artifact
        ? { artifactLocation: { uri: fileUri(resolve(artifact), root) }, ...(source?.file && source.line ? { region: { startLine: source.line } } : {}) }
        : undefined;
      const identity = createHash('sha256').update(JSON.stringify([stack.name, f.address, f.class, drift, message(f)])).digest('hex');
      results.push({
        ruleId: sarifRuleId(f.class),
        ruleIndex: CHANGE_CLASSES.indexOf(f.class),
        level: drift ? 'note' : SARIF_LEVEL[f.class],
        ...(drift ? { kind: 'informational' } : {}),
        message: { text },
        locations: [{ ...(physicalLocation ? { physicalLocation } : {}), logicalLocations }],
        partialFingerprints: { 'keyformFinding/v1': identity },
        properties: {
          class: f.class,
          live: f.live,
          actions: [...f.actions],
          resourceType: f.resourceType,
          stack: stack.name,
          drift,
          ...(source?.constructPath ? { constructPath: source.constructPath } : {}),
        },
      });
    }
  }
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyform',
            fullName: `keyform review ${VERSION}`,
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: KEYFORM_INFORMATION_URI,
            rules: CHANGE_CLASSES.map((c) => ({
              id: sarifRuleId(c),
              name: ruleName(c),
              shortDescription: { text: CLASS_INFO[c].title },
              fullDescription: { text: `${CLASS_INFO[c].title}: ${CLASS_INFO[c].meaning}.` },
              help: { text: HELP[c], markdown: `${HELP[c]} See the [keyform GitOps review guide](${REVIEW_GUIDE_URI}).` },
              helpUri: REVIEW_GUIDE_URI,
              defaultConfiguration: { level: SARIF_LEVEL[c] },
              properties: { tags: ['security', 'credentials', 'keyform'], 'security-severity': SECURITY_SEVERITY[c], precision: 'very-high' },
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results,
        properties: { stacks: stacks.map((s) => s.name) },
      },
    ],
  };
  return `${JSON.stringify(terminalSafeDeep(scrubber.scrubDeep(log)), null, 2)}\n`;
}
