// RPC parameters arrive as query-string values: strings as is, integers as decimal text, booleans as
// "true"/"false", and list/object parameters as one JSON text each (the SDK's *Shrink request fields).
import { invalidArgument, missingParameter } from './api-error.ts';

export type Query = Record<string, string>;

export function optString(q: Query, name: string): string | undefined {
  const v = q[name];
  return v === undefined || v === '' ? undefined : v;
}

export function reqString(q: Query, name: string): string {
  const v = optString(q, name);
  if (v === undefined) throw missingParameter(name);
  return v;
}

/** An integer in [min, max]; absent or "" gives `fallback`. */
export function optInt(q: Query, name: string, min: number, max: number, fallback: number): number {
  const raw = optString(q, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalidArgument(`The parameter ${name} must be an integer, got "${raw}".`);
  const n = Number(raw);
  if (n < min || n > max) {
    throw invalidArgument(`The parameter ${name} must be between ${min} and ${max}, got ${raw}.`);
  }
  return n;
}

export function optBool(q: Query, name: string): boolean | undefined {
  const raw = optString(q, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidArgument(`The parameter ${name} must be true or false, got "${raw}".`);
}

/** A JSON-valued parameter; throws InvalidArgument when the text is not JSON. */
export function optJson(q: Query, name: string): unknown {
  const raw = optString(q, name);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalidArgument(`The parameter ${name} is not valid JSON.`);
  }
}

export function reqJsonArray(q: Query, name: string): unknown[] {
  const v = optJson(q, name);
  if (v === undefined) throw missingParameter(name);
  if (!Array.isArray(v)) throw invalidArgument(`The parameter ${name} must be a JSON array.`);
  return v;
}

export function reqJsonObject(q: Query, name: string): Record<string, unknown> {
  const v = optJson(q, name);
  if (v === undefined) throw missingParameter(name);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidArgument(`The parameter ${name} must be a JSON object.`);
  }
  return v as Record<string, unknown>;
}

/** A JSON array of strings (URIs, WithFields). */
export function stringArray(q: Query, name: string, required: boolean): string[] | undefined {
  const v = required ? reqJsonArray(q, name) : optJson(q, name);
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw invalidArgument(`The parameter ${name} must be a JSON array of strings.`);
  }
  return v as string[];
}
