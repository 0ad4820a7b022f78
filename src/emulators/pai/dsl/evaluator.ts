// Turns a checked AST into a predicate over records. Values are prepared once (dates parsed,
// text tokenised) so matching a large dataset does not re-parse the query per record.
//
// Missing or unusable field (absent, wrong type, unparsable date): every comparison is false,
// so the NOT form of that comparison is true. HAS is false for absent, '' and [].
import type { CompareNode, HasNode, Node } from './ast.ts';
import { numericValue, resolveProperty, valueText } from './checker.ts';
import { parseIsoInstant } from './iso-date.ts';
import { tagsOf, type PropertySpec } from './properties.ts';
import { containsTokenSequence, textTokens } from './text-tokens.ts';
import type { DslRecord } from './types.ts';

export type Predicate = (record: DslRecord) => boolean;

const MATCH_ALL: Predicate = () => true;

export function compilePredicate(node: Node): Predicate {
  switch (node.kind) {
    case 'and': {
      const parts = node.children.map(compilePredicate);
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = node.children.map(compilePredicate);
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compilePredicate(node.child);
      return (r) => !inner(r);
    }
    case 'has':
      return compileHas(node);
    case 'compare':
      return compileCompare(node);
  }
}

function compileHas(node: HasNode): Predicate {
  const spec = resolveProperty(node.property);
  return (r) => isPresent(spec.read(r));
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

function compileCompare(node: CompareNode): Predicate {
  const spec = resolveProperty(node.property);
  if (spec.role === 'param') return MATCH_ALL; // parameters steer the request, they filter nothing
  if (spec.role === 'content') return compileContent(valueText(node.value));
  switch (spec.type) {
    case 'TEXT':
      return node.op === ':' ? compileTokenMatch(spec, valueText(node.value)) : compileEquals(spec, node);
    case 'KEYWORD':
      return compileEquals(spec, node);
    case 'NUMBER': {
      const wanted = numericValue(spec, node.value);
      const cmp = comparator(node.op);
      return (r) => {
        const actual = asNumber(spec.read(r));
        return actual !== undefined && cmp(actual, wanted);
      };
    }
    case 'DATE': {
      // The checker has rejected unparsable date values, so NaN cannot reach the comparator.
      const wanted = parseIsoInstant(valueText(node.value)) ?? NaN;
      const cmp = comparator(node.op);
      return (r) => {
        const raw = spec.read(r);
        const actual = typeof raw === 'string' ? parseIsoInstant(raw) : undefined;
        return actual !== undefined && cmp(actual, wanted);
      };
    }
  }
}

/** KEYWORD/TEXT '=': case-sensitive exact match; on a tag array, true when any tag is equal. */
function compileEquals(spec: PropertySpec, node: CompareNode): Predicate {
  const wanted = valueText(node.value);
  return (r) => {
    const actual = spec.read(r);
    if (Array.isArray(actual)) return actual.includes(wanted);
    return actual === wanted;
  };
}

function compileTokenMatch(spec: PropertySpec, text: string): Predicate {
  const wanted = textTokens(text);
  return (r) => {
    const actual = spec.read(r);
    return typeof actual === 'string' && containsTokenSequence(textTokens(actual), wanted);
  };
}

/**
 * Content:'...' asks for a vector (semantic) search, and the emulator has no embeddings.
 * Lexical stand-in: the record matches when any token of the text occurs among the tokens of
 * its FileName or of any of its tags (ai and user). See README.
 */
function compileContent(text: string): Predicate {
  const wanted = new Set(textTokens(text));
  return (r) => {
    const fields: unknown[] = [r['FileName'], ...tagsOf(r, 'ai'), ...tagsOf(r, 'user')];
    return fields.some((f) => typeof f === 'string' && textTokens(f).some((t) => wanted.has(t)));
  };
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function comparator(op: CompareNode['op']): (actual: number, wanted: number) => boolean {
  switch (op) {
    case '>':
      return (a, w) => a > w;
    case '>=':
      return (a, w) => a >= w;
    case '<':
      return (a, w) => a < w;
    case '<=':
      return (a, w) => a <= w;
    case '=':
      return (a, w) => a === w;
    case ':':
      // Unreachable: the checker rejects ':' on NUMBER and DATE properties.
      return () => false;
  }
}
