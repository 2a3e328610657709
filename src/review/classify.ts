/**
 * Classifies every keyform change of a Terraform plan into findings a reviewer can act on. Pure:
 * plan JSON in, findings out. Secret attributes are never read into a finding; sensitive values are
 * only compared, never copied.
 */
import { roleRank, scopeSatisfies } from '../model/catalog';
import { formatDuration, parseDuration } from '../rotation/duration';
import { AUTHORIZATION_TYPE, AuthorizationNames } from './authorization-names';
import type { ChangeClass } from './change-class';
import { riskRank } from './change-class';
import type { Finding, Liveness, Part } from './finding';
import { KNOWN_AFTER_APPLY, code, list } from './finding';
import type { Json, PlanJson, ResourceChange } from './plan-json';
import { isSensitivePath } from './secret-scrub';

/** Resource types the review looks at. */
export const KEYFORM_RESOURCE_TYPES = [
  'keyform_api_key',
  AUTHORIZATION_TYPE,
  'keyform_project_access',
  'keyform_mcp_server_grant',
] as const;

/** What `read` sees of one attribute on one side of a change. */
type Read = { kind: 'known'; value: Json } | { kind: 'unknown' } | { kind: 'sensitive'; value: Json };

/** One side (before or after) of a change, with its unknown and sensitive marks. */
class Side {
  constructor(
    private readonly values: Json | undefined,
    private readonly unknown: Json | undefined,
    private readonly sensitive: Json | undefined,
  ) {}

  /** Whether the object exists on this side. */
  get exists(): boolean {
    return this.values !== null && this.values !== undefined && typeof this.values === 'object';
  }

  read(attr: string): Read {
    const u = this.unknown && typeof this.unknown === 'object' && !Array.isArray(this.unknown) ? (this.unknown as Record<string, Json>)[attr] : this.unknown;
    const v = this.exists ? ((this.values as Record<string, Json>)[attr] ?? null) : null;
    if (u === true) return { kind: 'unknown' };
    if (isSensitivePath(this.sensitive, [attr])) return { kind: 'sensitive', value: v };
    return { kind: 'known', value: v };
  }

  /** Known string value, or undefined. */
  str(attr: string): string | undefined {
    const r = this.read(attr);
    return r.kind === 'known' && typeof r.value === 'string' ? r.value : undefined;
  }

  /** Known list of strings (null counts as empty), or undefined when unknown or sensitive. */
  strings(attr: string): string[] | undefined {
    const r = this.read(attr);
    if (r.kind !== 'known') return undefined;
    if (r.value === null) return [];
    return Array.isArray(r.value) ? r.value.filter((x): x is string => typeof x === 'string') : undefined;
  }

  /** Whether the attribute is unknown on this side. */
  isUnknown(attr: string): boolean {
    return this.read(attr).kind === 'unknown';
  }

  /** Whether the value at a nested path is unknown (or a parent of it is). */
  unknownAt(path: ReadonlyArray<string | number>): boolean {
    return isSensitivePath(this.unknown, path);
  }

  /** Whether the value at a nested path is sensitive (or a parent of it is). */
  sensitiveAt(path: ReadonlyArray<string | number>): boolean {
    return isSensitivePath(this.sensitive, path);
  }

  /** The raw value for comparison only (may be sensitive: never put it in a finding). */
  raw(attr: string): Json | undefined {
    const r = this.read(attr);
    return r.kind === 'unknown' ? undefined : r.value;
  }
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A rotation policy as written: a single block is an object, a list block a one-element list. */
function rotationPolicy(side: Side): { every?: string; grace?: string } | null | 'unknown' {
  const r = side.read('rotation');
  if (r.kind === 'unknown') return 'unknown';
  let v = r.value;
  if (Array.isArray(v)) v = v[0] ?? null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, Json>;
  return {
    every: typeof o.every === 'string' ? o.every : undefined,
    grace: typeof o.grace_period === 'string' ? o.grace_period : undefined,
  };
}

function codes(items: readonly string[]): Part[] {
  return list(items.map((s) => [code(s)]));
}

/** The attribute of every resource that delivers its secret instead of keeping it in state. */
export const DELIVERY_ATTRIBUTE = 'secret_delivery';

/** Where a secret goes, as one side of a change sees it. */
type Delivery =
  | { readonly kind: 'state' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'sensitive' }
  | { readonly kind: 'to'; readonly destination: Part[]; readonly settings: Record<string, Json> };

/**
 * Reads the delivery block of one side. A single block is an object in plan JSON, a list block a
 * one-element list; either way a destination is a `file` or a `command` and the rest are settings.
 */
function deliveryOf(side: Side): Delivery {
  const r = side.read(DELIVERY_ATTRIBUTE);
  if (r.kind === 'unknown') return { kind: 'unknown' };
  if (r.kind === 'sensitive') return { kind: 'sensitive' };
  let v = r.value;
  let base: Array<string | number> = [DELIVERY_ATTRIBUTE];
  if (Array.isArray(v)) {
    if (side.unknownAt([DELIVERY_ATTRIBUTE, 0])) return { kind: 'unknown' };
    v = v[0] ?? null;
    base = [DELIVERY_ATTRIBUTE, 0];
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { kind: 'state' };
  const o = v as Record<string, Json>;
  const target = (attr: string): Part[] | undefined => {
    if (side.unknownAt([...base, attr])) return [`${attr} `, KNOWN_AFTER_APPLY];
    if (side.sensitiveAt([...base, attr])) return [`a ${attr} marked sensitive (not shown)`];
    const x = o[attr];
    return typeof x === 'string' && x !== '' ? [`${attr} `, code(x)] : undefined;
  };
  const destination: Part[] = target('command') ?? target('file') ?? ['an unnamed destination'];
  const settings: Record<string, Json> = {};
  for (const [k, x] of Object.entries(o)) if (k !== 'command' && k !== 'file') settings[k] = x;
  return { kind: 'to', destination, settings };
}

/** The subject of a delivery finding: the secret itself, in a row of its own. */
function deliverySubject(rc: ResourceChange, secretOf: Part[]): { parts: Part[]; key: string } {
  return { parts: secretOf, key: `delivery:${rc.address}` };
}

/**
 * The predicate of a changed delivery: every new path to a secret is reviewed, and so is the secret
 * going back into state. Undefined when nothing about the delivery changed.
 */
function deliveryChange(before: Side | undefined, after: Side): Part[] | undefined {
  const was: Delivery = before ? deliveryOf(before) : { kind: 'state' };
  const now = deliveryOf(after);
  if (before && !after.isUnknown(DELIVERY_ATTRIBUTE) && sameJson(before.raw(DELIVERY_ATTRIBUTE), after.raw(DELIVERY_ATTRIBUTE))) return undefined;
  if (!before && now.kind === 'state') return undefined;
  const describe = (d: Delivery): Part[] =>
    d.kind === 'to' ? d.destination : d.kind === 'unknown' ? ['a destination ', KNOWN_AFTER_APPLY] : d.kind === 'sensitive' ? ['a destination marked sensitive (not shown)'] : ['Terraform state'];
  const wasText: Part[] = before ? [' (was ', ...(was.kind === 'state' ? ['kept in Terraform state'] : ['sent to ', ...describe(was)]), ')'] : [];
  if (now.kind === 'state') return ['will now be kept in Terraform state', ...wasText];
  // Same destination with other settings (env, timeout): the settings can redirect it, so name them.
  if (was.kind === 'to' && now.kind === 'to' && sameJson(partsKey(was.destination), partsKey(now.destination))) {
    const changed = [...new Set([...Object.keys(was.settings), ...Object.keys(now.settings)])].filter((k) => !sameJson(was.settings[k], now.settings[k]));
    return ['is still sent to ', ...describe(now), ' with changed delivery settings ', ...codes(changed.length ? changed : [DELIVERY_ATTRIBUTE])];
  }
  return [before ? 'will now be sent to ' : 'will be sent to ', ...describe(now), ...wasText];
}

function partsKey(parts: readonly Part[]): Json {
  return parts.map((p): Json => (typeof p === 'string' ? p : 'code' in p ? { code: p.code } : { unknown: true }));
}

/** Context shared by the classification of one plan. */
interface Ctx {
  readonly names: AuthorizationNames;
  /** MCP servers granted (or kept) per authorization key after apply. */
  readonly grantsAfter: Map<string, string[]>;
}

/** Builds findings of one resource change. */
class Builder {
  readonly findings: Finding[] = [];
  constructor(
    private readonly rc: ResourceChange,
    private readonly subject: Part[],
    private readonly subjectKey: string,
    private readonly live: Liveness,
  ) {}

  add(cls: ChangeClass, predicate: Part[], subject?: { parts: Part[]; key: string }): void {
    this.findings.push({
      class: cls,
      address: this.rc.address,
      resourceType: this.rc.type,
      actions: this.rc.change.actions,
      subject: subject?.parts ?? this.subject,
      subjectKey: subject?.key ?? this.subjectKey,
      live: this.live,
      predicate,
    });
  }

  /**
   * The findings of a change that ends management or changes nothing: a delete (`removed` says what
   * stops working), a forget (`kept` says what stays) or no change; undefined for any other change.
   */
  ending(kind: ActionKind, removed: string, kept: string): Finding[] | undefined {
    if (kind === 'delete') this.add('revocation', [removed]);
    else if (kind === 'forget') this.add('other', [`leaves Terraform management; ${kept}`]);
    else return kind === 'none' ? [] : undefined;
    return this.findings;
  }
}

/** What a resource change does, in the review's terms. */
type ActionKind = 'create' | 'delete' | 'update' | 'replace' | 'forget' | 'none';

function actionKind(rc: ResourceChange): ActionKind {
  const a = rc.change.actions;
  if (a.includes('delete') && a.includes('create')) return 'replace';
  if (a.includes('create')) return 'create';
  if (a.includes('delete')) return 'delete';
  if (a.includes('update')) return 'update';
  if (a.includes('forget')) return 'forget';
  return 'none';
}

function sides(rc: ResourceChange): { before: Side; after: Side } {
  return {
    before: new Side(rc.change.before, undefined, rc.change.before_sensitive),
    after: new Side(rc.change.after, rc.change.after_unknown, rc.change.after_sensitive),
  };
}

/** Attributes of a change that differ (an unknown `after` counts as a difference). */
function changedAttrs(before: Side, after: Side, attrs: readonly string[]): string[] {
  return attrs.filter((a) => after.isUnknown(a) || !sameJson(before.raw(a), after.raw(a)));
}

const KEY_CONFIG_ATTRS = ['mid', 'name', 'type', 'mode', 'scopes', 'description', 'expires_at', 'rotation', 'secret_delivery'] as const;
const KEY_SECRET_ATTRS = ['value', 'version', 'fingerprint', 'rotated_at', 'prefix'] as const;
const KEY_IGNORED = new Set<string>(['id', 'created_at', ...KEY_CONFIG_ATTRS, ...KEY_SECRET_ATTRS]);

function replaceReason(rc: ResourceChange): Part[] {
  const paths = (rc.change.replace_paths ?? []).map((p) => String(p[0]));
  const uniq = [...new Set(paths)];
  if (uniq.length) return [' (', ...codes(uniq), uniq.length === 1 ? ' changes)' : ' change)'];
  if (rc.action_reason === 'replace_by_request') return [' (replacement requested)'];
  if (rc.action_reason === 'replace_because_tainted') return [' (tainted)'];
  if (rc.action_reason === 'replace_triggered_by') return [' (replace_triggered_by)'];
  return [];
}

/** The object's name: as it was for a delete or forget, else as it will be; the address without one. */
function nameOf(rc: ResourceChange, kind: ActionKind, before: Side, after: Side): string {
  return (kind === 'delete' || kind === 'forget' ? before.str('name') : (after.str('name') ?? before.str('name'))) ?? rc.address;
}

function liveOfKey(before: Side, after: Side, kind: ActionKind): Liveness {
  if (kind === 'delete' || kind === 'forget') return before.str('mode') === 'live';
  if (after.isUnknown('mode')) return 'unknown';
  const m = after.str('mode');
  return m === 'live' || (m === undefined && before.str('mode') === 'live');
}

function apiKey(rc: ResourceChange): Finding[] {
  const kind = actionKind(rc);
  const { before, after } = sides(rc);
  const name = nameOf(rc, kind, before, after);
  const live = liveOfKey(before, after, kind);
  const b = new Builder(rc, [code(name)], `api_key:${rc.address}`, live);
  const type = after.str('type') ?? before.str('type');
  const mid = (s: Side): Part => valuePart(s, 'mid');

  if (kind === 'create') {
    const scopes = after.strings('scopes');
    const scopeText: Part[] = scopes === undefined ? ['scopes ', KNOWN_AFTER_APPLY] : scopes.length === 0 ? ['no scopes'] : ['scopes ', ...codes(scopes)];
    const typeText: Part = after.isUnknown('type') ? KNOWN_AFTER_APPLY : code(type ?? 'secret');
    const modeNote: Part[] = live === 'unknown' ? [' (mode ', KNOWN_AFTER_APPLY, ')'] : [];
    b.add(live === false ? 'new' : 'new-live', ['is a new ', typeText, ' key for merchant ', mid(after), ' with ', ...scopeText, ...modeNote]);
    const delivered = deliveryChange(undefined, after);
    if (delivered) b.add('escalation', delivered, deliverySubject(rc, ['the secret of ', code(name)]));
    if ((type ?? 'secret') === 'secret' && scopes !== undefined && scopes.length === 0) {
      b.add('escalation', ['has no scopes: full access to merchant ', mid(after)]);
    }
    return b.findings;
  }
  const ended = b.ending(kind, 'is revoked: requests with its secret fail after apply', 'the key itself is not revoked');
  if (ended) return ended;

  const changed = changedAttrs(before, after, KEY_CONFIG_ATTRS);
  const secretChanged = changedAttrs(before, after, KEY_SECRET_ATTRS).length > 0;

  // Scopes.
  if (changed.includes('scopes')) {
    const was = before.strings('scopes') ?? [];
    const now = after.strings('scopes');
    const secret = (type ?? 'secret') === 'secret';
    if (now === undefined) {
      b.add('escalation', ['scopes change to ', KNOWN_AFTER_APPLY]);
    } else if (secret && now.length === 0 && was.length > 0) {
      b.add('escalation', ['is left with no scopes: full access to merchant ', mid(after)]);
    } else if (secret && was.length === 0 && now.length > 0) {
      b.add('de-escalation', ['no longer has full access; limited to ', ...codes(now)]);
    } else {
      const gained = now.filter((s) => !scopeSatisfies(was, s));
      const lost = was.filter((s) => !scopeSatisfies(now, s));
      if (gained.length) {
        b.add(
          'escalation',
          ['gains ', ...list(gained.map((s) => {
            const read = s.replace(/:write$/, ':read');
            return s.endsWith(':write') && was.includes(read) ? [code(s), ' (was ', code(read), ')'] : [code(s)];
          }))],
        );
      }
      if (lost.length) b.add('de-escalation', ['loses ', ...codes(lost)]);
      if (!gained.length && !lost.length) b.add('cosmetic', ['lists its scopes differently (same access)']);
    }
  }
  // Merchant.
  if (changed.includes('mid')) b.add('escalation', ['moves from merchant ', mid(before), ' to merchant ', mid(after)]);
  // Mode.
  if (changed.includes('mode')) {
    const from = before.str('mode') ?? 'test';
    if (after.isUnknown('mode')) b.add('mode-change', ['changes mode from ', code(from), ' to ', KNOWN_AFTER_APPLY]);
    else {
      const to = after.str('mode') ?? 'test';
      b.add('mode-change', to === 'live' ? ['moves from test to LIVE mode'] : from === 'live' && to === 'test' ? ['moves from LIVE to test mode'] : ['moves from ', code(from), ' to ', code(to), ' mode']);
    }
  }
  if (changed.includes('type')) {
    b.add('other', ['changes type from ', code(before.str('type') ?? '?'), ' to ', after.isUnknown('type') ? KNOWN_AFTER_APPLY : code(after.str('type') ?? '?')]);
  }
  // Expiry.
  if (changed.includes('expires_at')) {
    const was = before.str('expires_at');
    const now = after.str('expires_at');
    if (after.isUnknown('expires_at')) b.add('other', ['expiry changes to ', KNOWN_AFTER_APPLY]);
    else if (was && !now) b.add('escalation', ['no longer expires (was ', code(was), ')']);
    else if (was && now && Date.parse(now) > Date.parse(was)) b.add('escalation', ['expires later: ', code(now), ' (was ', code(was), ')']);
    else if (now) b.add('de-escalation', ['expires ', was ? 'earlier: ' : 'at ', code(now), ...(was ? [' (was ', code(was), ')'] : [])]);
  }
  // Rotation policy.
  if (changed.includes('rotation')) {
    const was = rotationPolicy(before);
    const now = rotationPolicy(after);
    if (now === 'unknown') b.add('other', ['rotation policy changes to ', KNOWN_AFTER_APPLY]);
    else if (was && was !== 'unknown' && !now) b.add('escalation', ['is no longer rotated (was every ', code(was.every ?? '?'), ')']);
    else if (!was && now) b.add('de-escalation', ['is now rotated every ', code(now.every ?? '?')]);
    else if (was && was !== 'unknown' && now) {
      const we = parseDuration(was.every);
      const ne = parseDuration(now.every);
      if (was.every !== now.every) {
        const longer = we !== undefined && ne !== undefined && ne > we;
        b.add(longer ? 'escalation' : 'de-escalation', [longer ? 'is rotated less often: every ' : 'is rotated more often: every ', code(now.every ?? '?'), ' (was ', code(was.every ?? '?'), ')']);
      }
      if (was.grace !== now.grace) {
        const g = parseDuration(now.grace);
        b.add('other', ['grace period after rotation becomes ', code(g !== undefined ? formatDuration(g) : now.grace ?? 'none'), ' (was ', code(was.grace ?? 'none'), ')']);
      }
    }
  }
  if (changed.includes(DELIVERY_ATTRIBUTE)) {
    const delivered = deliveryChange(before, after);
    if (delivered) b.add('escalation', delivered, deliverySubject(rc, ['the secret of ', code(name)]));
  }
  if (changed.includes('name')) b.add('cosmetic', ['is renamed from ', code(before.str('name') ?? '?'), ' to ', after.isUnknown('name') ? KNOWN_AFTER_APPLY : code(name)]);
  if (changed.includes('description')) b.add('cosmetic', ['changes its description']);

  // Anything else the schema grows later: name it, never show its value.
  const extra = [...new Set([...Object.keys(objOf(rc.change.before)), ...Object.keys(objOf(rc.change.after))])].filter((a) => !KEY_IGNORED.has(a));
  const extraChanged = changedAttrs(before, after, extra);
  if (extraChanged.length) b.add('other', ['changes ', ...codes(extraChanged)]);

  const policy = rotationPolicy(after);
  const grace = policy && policy !== 'unknown' ? policy.grace : undefined;
  const configChanged = changed.length > 0 || extraChanged.length > 0;
  if (kind === 'replace') {
    const paths = (rc.change.replace_paths ?? []).map((p) => String(p[0]));
    const byRotation = paths.length > 0 && paths.every((p) => p === 'rotation' || (KEY_SECRET_ATTRS as readonly string[]).includes(p));
    if (!configChanged || byRotation) {
      b.add('rotation', ['is replaced to rotate its secret', ...replaceReason(rc), ': a new key is issued and the old one is revoked at apply']);
    } else {
      b.add('revocation', ['is replaced', ...replaceReason(rc), ': its current secret stops working at apply and a new one is issued']);
    }
  } else if (secretChanged) {
    b.add('rotation', ['is rotated: a new secret is issued', ...(grace ? ['; the previous one keeps working for ', code(grace)] : [])]);
  } else if (!configChanged) {
    b.add('other', ['changes computed attributes only']);
  }
  // A new live secret written to a file lands on the machine that applies: on a throw-away CI runner
  // it is lost, and the old one dies when its grace ends.
  const newSecret = kind === 'replace' || secretChanged;
  const delivery = deliveryOf(after);
  if (newSecret && live === true && delivery.kind === 'to' && fileTarget(after) !== undefined) {
    b.add(
      'other',
      ['is written to ', ...delivery.destination, ' on the machine that runs the apply: a CI runner discards it. Deliver live keys to a durable store through ', code('command')],
      deliverySubject(rc, ['the new secret of ', code(name)]),
    );
  }
  return b.findings;
}

/** The known `file` of a delivery block without a `command`, if any. */
function fileTarget(side: Side): string | undefined {
  const d = deliveryOf(side);
  if (d.kind !== 'to') return undefined;
  const raw = side.raw(DELIVERY_ATTRIBUTE);
  const block = Array.isArray(raw) ? raw[0] : raw;
  if (!block || typeof block !== 'object' || Array.isArray(block)) return undefined;
  const o = block as Record<string, Json>;
  return typeof o.file === 'string' && o.file !== '' && !(typeof o.command === 'string' && o.command !== '') ? o.file : undefined;
}

function objOf(v: Json | undefined): Record<string, Json> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : {};
}

const AUTH_CONFIG_ATTRS = ['name', 'kind', 'owner_id', 'mode', 'capabilities'] as const;

function authorization(rc: ResourceChange, ctx: Ctx): Finding[] {
  const kind = actionKind(rc);
  const { before, after } = sides(rc);
  const name = nameOf(rc, kind, before, after);
  // The authorization's mode decides what its tokens reach, as a key's does; a plan without it (an older provider) counts as live.
  const live = before.str('mode') === undefined && after.str('mode') === undefined && !after.isUnknown('mode') ? true : liveOfKey(before, after, kind);
  const b = new Builder(rc, ['authorization ', code(name)], `authorization:${rc.address}`, live);
  if (kind === 'create') {
    const caps = after.strings('capabilities');
    const capText: Part[] = caps === undefined ? ['capabilities ', KNOWN_AFTER_APPLY] : caps.length ? ['capabilities ', ...codes(caps)] : ['no capabilities'];
    const k = valuePart(after, 'kind');
    const owner = valuePart(after, 'owner_id');
    b.add(live === false ? 'new' : 'new-live', ['is a new ', k, ' authorization acting for user ', owner, ' with ', ...capText]);
    const delivered = deliveryChange(undefined, after);
    if (delivered) b.add('escalation', delivered, deliverySubject(rc, ['the client secret of authorization ', code(name)]));
    return b.findings;
  }
  const ended = b.ending(kind, 'is deleted: tools using it lose access at apply', 'the authorization itself is not deleted');
  if (ended) return ended;
  const changed = changedAttrs(before, after, AUTH_CONFIG_ATTRS);
  if (changed.includes('capabilities')) {
    const was = before.strings('capabilities') ?? [];
    const now = after.strings('capabilities');
    if (now === undefined) b.add('escalation', ['capabilities change to ', KNOWN_AFTER_APPLY]);
    else {
      const gained = now.filter((c) => !was.includes(c));
      const lost = was.filter((c) => !now.includes(c));
      if (gained.length) {
        const reach = gained.includes('mcp') ? (ctx.grantsAfter.get(`authorization:${rc.address}`) ?? []) : [];
        b.add('escalation', ['gains ', ...codes(gained), ...(reach.length ? ['; may now reach MCP server', reach.length > 1 ? 's ' : ' ', ...codes(reach)] : [])]);
      }
      if (lost.length) b.add('de-escalation', ['loses ', ...codes(lost)]);
    }
  }
  if (changed.includes('owner_id')) {
    b.add('other', ['now acts for user ', after.isUnknown('owner_id') ? KNOWN_AFTER_APPLY : code(after.str('owner_id') ?? '?'), ' (was ', code(before.str('owner_id') ?? '?'), ')']);
  }
  if (changed.includes('mode')) {
    const from = before.str('mode') ?? 'test';
    const to = after.str('mode');
    b.add('mode-change', to === 'live' ? ['moves from test to LIVE mode'] : [`moves from ${from === 'live' ? 'LIVE' : from} to ${to ?? 'an unknown'} mode`]);
  }
  if (changed.includes('kind')) b.add('other', ['changes kind from ', code(before.str('kind') ?? '?'), ' to ', after.isUnknown('kind') ? KNOWN_AFTER_APPLY : code(after.str('kind') ?? '?')]);
  if (changed.includes('name')) b.add('cosmetic', ['is renamed from ', code(before.str('name') ?? '?'), ' to ', after.isUnknown('name') ? KNOWN_AFTER_APPLY : code(name)]);
  // Classified by attribute name, so a delivery block on any authorization kind is reviewed.
  const delivered = deliveryChange(before, after);
  if (delivered) b.add('escalation', delivered, deliverySubject(rc, ['the client secret of authorization ', code(name)]));
  const secretChanged = changedAttrs(before, after, ['client_secret', 'fingerprint', 'version']).length > 0;
  if (kind === 'replace') {
    if (changed.length === 0) b.add('rotation', ['is replaced', ...replaceReason(rc), ': a new client secret is issued and the old one stops working at apply']);
    else b.add('revocation', ['is replaced', ...replaceReason(rc), ': its current client secret stops working at apply']);
  } else if (secretChanged && changed.length === 0) {
    b.add('rotation', ['gets a new client secret']);
  } else if (changed.length === 0 && !delivered) {
    b.add('other', ['changes computed attributes only']);
  }
  return b.findings;
}

/** The authorization a grant belongs to: its name, its key, and its liveness, which the grant inherits. */
function accessSubject(rc: ResourceChange, side: Side, ctx: Ctx): { parts: Part[]; key: string; live: boolean } {
  const n = ctx.names.resolve(rc, side.str('authorization_id'));
  return { parts: ['authorization ', code(n.label)], key: n.key, live: n.live };
}

/** An attribute of one side as a part of a finding: its value as code, or "known after apply". */
function valuePart(s: Side, attr: string): Part {
  return s.isUnknown(attr) ? KNOWN_AFTER_APPLY : code(s.str(attr) ?? '?');
}

/** What a grant's change does, its two sides, and a builder whose subject is the grant's authorization. */
function grantChange(rc: ResourceChange, ctx: Ctx): { kind: ActionKind; before: Side; after: Side; b: Builder } {
  const kind = actionKind(rc);
  const { before, after } = sides(rc);
  const subj = accessSubject(rc, kind === 'delete' || kind === 'forget' ? before : after, ctx);
  return { kind, before, after, b: new Builder(rc, subj.parts, subj.key, subj.live) };
}

function projectAccess(rc: ResourceChange, ctx: Ctx): Finding[] {
  const { kind, before, after, b } = grantChange(rc, ctx);
  const project = (s: Side): Part => valuePart(s, 'project_id');
  const role = (s: Side): Part => valuePart(s, 'role');
  const gain = () => b.add('escalation', ['gains ', role(after), ' on project ', project(after)]);
  const lose = () => b.add('revocation', ['loses access to project ', project(before)], accessSubject(rc, before, ctx));
  if (kind === 'create') gain();
  else if (kind === 'delete') lose();
  else if (kind === 'forget') b.add('other', ['access to project ', project(before), ' leaves Terraform management (not removed)']);
  else if (kind === 'replace') {
    lose();
    gain();
  } else if (kind === 'update') {
    const changed = changedAttrs(before, after, ['role', 'project_id', 'authorization_id']);
    if (changed.includes('role')) {
      const was = before.str('role') ?? '';
      const now = after.str('role');
      if (now === undefined) b.add('escalation', ['role on project ', project(after), ' changes to ', KNOWN_AFTER_APPLY]);
      else if (roleRank(now) > roleRank(was)) b.add('escalation', ['role on project ', project(after), ' rises from ', code(was), ' to ', code(now)]);
      else b.add('de-escalation', ['role on project ', project(after), ' drops from ', code(was), ' to ', code(now)]);
    }
    if (changed.some((c) => c !== 'role')) {
      lose();
      gain();
    }
  }
  return b.findings;
}

function mcpServerGrant(rc: ResourceChange, ctx: Ctx): Finding[] {
  const { kind, before, after, b } = grantChange(rc, ctx);
  const server = (s: Side): Part => valuePart(s, 'mcp_server_id');
  const gain = () => b.add('escalation', ['may now reach MCP server ', server(after)]);
  const lose = () => b.add('revocation', ['can no longer reach MCP server ', server(before)], accessSubject(rc, before, ctx));
  if (kind === 'create') gain();
  else if (kind === 'delete') lose();
  else if (kind === 'forget') b.add('other', ['grant of MCP server ', server(before), ' leaves Terraform management (not removed)']);
  else if (kind === 'replace' || kind === 'update') {
    lose();
    gain();
  }
  return b.findings;
}

/** MCP servers each authorization can reach after apply, from the grants in the plan. */
function grantsAfter(plan: PlanJson, names: AuthorizationNames): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'keyform_mcp_server_grant' || rc.mode !== 'managed' || rc.change.actions.includes('delete') && !rc.change.actions.includes('create')) continue;
    const after = new Side(rc.change.after, rc.change.after_unknown, rc.change.after_sensitive);
    const server = after.str('mcp_server_id');
    if (!server) continue;
    const key = names.resolve(rc, after.str('authorization_id')).key;
    out.set(key, [...(out.get(key) ?? []), server]);
  }
  return out;
}

/**
 * Orders findings by risk, LIVE first within a class, then credentials before the accesses that hang
 * off them (so merged sentences read "gains `x`; may now reach MCP server `y`"), then by address.
 */
export function rankFindings(findings: readonly Finding[]): Finding[] {
  const liveRank = (l: Liveness) => (l === true ? 0 : l === 'unknown' ? 1 : 2);
  const typeRank = (t: string) => (KEYFORM_RESOURCE_TYPES as readonly string[]).indexOf(t);
  return [...findings].sort(
    (a, b) =>
      riskRank(a.class) - riskRank(b.class) ||
      liveRank(a.live) - liveRank(b.live) ||
      typeRank(a.resourceType) - typeRank(b.resourceType) ||
      a.address.localeCompare(b.address),
  );
}

function classifyWith(rc: ResourceChange, ctx: Ctx): Finding[] {
  if (rc.mode !== 'managed') return [];
  switch (rc.type) {
    case 'keyform_api_key':
      return apiKey(rc);
    case AUTHORIZATION_TYPE:
      return authorization(rc, ctx);
    case 'keyform_project_access':
      return projectAccess(rc, ctx);
    case 'keyform_mcp_server_grant':
      return mcpServerGrant(rc, ctx);
    default:
      return [];
  }
}

/** The result of reviewing a plan. */
export interface Review {
  /** Findings, highest risk first. */
  readonly findings: readonly Finding[];
  /** Number of keyform resource instances that change (no-op and reads excluded). */
  readonly changedResources: number;
  /**
   * What changed outside Terraform since the last apply (`resource_drift`), highest risk first. For
   * information: the plan's own findings already say what the apply does about it.
   */
  readonly drift: readonly Finding[];
  readonly terraformVersion?: string;
}

/** Rewords a finding about a change made outside Terraform. */
function asDrift(f: Finding): Finding {
  if (f.actions.includes('delete') && !f.actions.includes('create')) {
    return { ...f, predicate: ['was deleted outside Terraform'] };
  }
  if (f.class === 'rotation') return { ...f, predicate: ['was rotated outside Terraform'] };
  return f;
}

/** Classifies every keyform change of a plan, ranked by risk. */
export function reviewPlan(plan: PlanJson): Review {
  const names = new AuthorizationNames(plan);
  const ctx: Ctx = { names, grantsAfter: grantsAfter(plan, names) };
  const findings: Finding[] = [];
  let changedResources = 0;
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || !(KEYFORM_RESOURCE_TYPES as readonly string[]).includes(rc.type)) continue;
    const f = classifyWith(rc, ctx);
    if (f.length) changedResources += 1;
    findings.push(...f);
  }
  const drift: Finding[] = [];
  for (const rc of plan.resource_drift ?? []) {
    if (rc.mode !== 'managed' || !(KEYFORM_RESOURCE_TYPES as readonly string[]).includes(rc.type)) continue;
    drift.push(...classifyWith(rc, ctx).map(asDrift));
  }
  return { findings: rankFindings(findings), changedResources, drift: rankFindings(drift), terraformVersion: plan.terraform_version };
}
