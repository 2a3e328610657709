/**
 * The classes a keyform change falls into, highest risk first. The order is the order of the
 * report's tables and the meaning of "rank by risk".
 */

/** Every class, highest risk first. */
export const CHANGE_CLASSES = [
  'escalation',
  'new-live',
  'mode-change',
  'revocation',
  'other',
  'rotation',
  'new',
  'de-escalation',
  'cosmetic',
] as const;

/** A class of change. */
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

/** Title and one-line meaning of each class, as shown in reports and docs. */
export const CLASS_INFO: Readonly<Record<ChangeClass, { readonly title: string; readonly meaning: string }>> = {
  escalation: {
    title: 'Escalation',
    meaning:
      'a credential gains power: a scope (or read becomes write), full access, a capability, a higher project role, an MCP server, another merchant, a longer life; or a secret gets a new path: a new or changed delivery destination, or delivery removed so the secret goes back into state',
  },
  'new-live': { title: 'New live credential', meaning: 'a credential that can touch live data is created' },
  'mode-change': { title: 'Mode change', meaning: 'a key moves between test and live mode' },
  revocation: { title: 'Revocation', meaning: 'a credential or an access is deleted or replaced: whoever uses it loses access at apply' },
  other: { title: 'Other change', meaning: 'a change keyform does not rank further (type, owner, grace period)' },
  rotation: { title: 'Rotation', meaning: 'a secret is replaced while the credential stays the same' },
  new: { title: 'New test credential', meaning: 'a credential limited to test data is created' },
  'de-escalation': { title: 'De-escalation', meaning: 'a credential loses power' },
  cosmetic: { title: 'Cosmetic', meaning: 'a name or description changes' },
};

/** Risk rank of a class: 0 is the highest risk. */
export function riskRank(c: ChangeClass): number {
  return CHANGE_CLASSES.indexOf(c);
}

/** Whether a string names a class. */
export function isChangeClass(s: string): s is ChangeClass {
  return (CHANGE_CLASSES as readonly string[]).includes(s);
}
