/**
 * Questions about decoded Terraform values that the runtime asks everywhere: is it an object, is it
 * the same value as another (sets regardless of order), where is it still unknown.
 */
import { UNKNOWN, type AttributePath, type TfObject, type TfValue } from './framework';
import type { AnyCtyType } from './cty-codec';

/** Whether a value is a known object (a single nested block, an object or a map). */
export function isObject(v: TfValue | undefined): v is TfObject {
  return v !== null && v !== undefined && v !== UNKNOWN && typeof v === 'object' && !Array.isArray(v);
}

/** A canonical string of a value of a type: sets compare regardless of order, UNKNOWN is `?`. */
export function canonical(type: AnyCtyType | undefined, v: TfValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (v === UNKNOWN) return '?';
  if (Array.isArray(v)) {
    const kind = Array.isArray(type) ? type[0] : undefined;
    const elem = (i: number): AnyCtyType | undefined =>
      Array.isArray(type) ? (kind === 'tuple' ? (type[1] as AnyCtyType[])[i] : (type[1] as AnyCtyType)) : undefined;
    const parts = v.map((x, i) => canonical(elem(i), x));
    if (kind === 'set') parts.sort();
    return `[${parts.join(',')}]`;
  }
  if (typeof v === 'object') {
    const sub = (k: string): AnyCtyType | undefined =>
      Array.isArray(type) ? (type[0] === 'object' ? (type[1] as Record<string, AnyCtyType>)[k] : (type[1] as AnyCtyType)) : undefined;
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(sub(k), v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The first path holding an unknown value, or undefined when the value is wholly known. */
export function findUnknown(v: TfValue | undefined, base: (string | number)[] = []): AttributePath | undefined {
  if (v === UNKNOWN) return base;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = findUnknown(v[i], [...base, i]);
      if (p) return p;
    }
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      const p = findUnknown(x, [...base, k]);
      if (p) return p;
    }
  }
  return undefined;
}
