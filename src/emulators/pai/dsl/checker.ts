// Semantic pass over the AST: enforces the documentation's property tables (which operator,
// under NOT, under OR), validates values against the property type, and collects the
// request parameters and Status that are written inside the expression.
//
// Rules (truth table per comparison, checked in this order, first failure wins):
//   1. property must exist                              -> error at the property name
//   2. the operator's positive column must be ✅          -> error at the operator (or HAS)
//   3. under an odd number of NOTs, the negated column
//      (Token does not contain / Not equals) must be ✅    -> error at the innermost NOT
//   4. properties whose OR cell is ❌ (Status, Content, parameters) must sit in pure AND
//      context: no OR and no NOT above them, because NOT (a AND b) is (NOT a) OR (NOT b)
//                                                       -> error at the property name
//   5. the value must fit the type (number, ISO 8601 date, non-empty token list)
//                                                       -> error at the value
import type { CompareNode, HasNode, Node, Value } from './ast.ts';
import { DslSyntaxError } from './errors.ts';
import { parseIsoInstant } from './iso-date.ts';
import { lookupProperty, suggestProperty, type PropertySpec } from './properties.ts';
import { textTokens } from './text-tokens.ts';

export interface CheckResult {
  params: Record<string, string | number>;
  status?: 'ACTIVE' | 'DELETED';
}

interface Context {
  /** Offset of the innermost NOT when the number of enclosing NOTs is odd. */
  negatedBy?: number;
  /** Offset of the innermost NOT, whatever the parity. */
  underNot?: number;
  underOr: boolean;
}

const STATUS_VALUES = ['ACTIVE', 'DELETED'] as const;

export function check(root: Node): CheckResult {
  const result: CheckResult = { params: {} };
  const seen = new Set<string>();
  const visit = (node: Node, ctx: Context): void => {
    switch (node.kind) {
      case 'and':
        for (const child of node.children) visit(child, ctx);
        return;
      case 'or':
        for (const child of node.children) visit(child, { ...ctx, underOr: true });
        return;
      case 'not':
        visit(node.child, {
          ...ctx,
          underNot: node.pos,
          negatedBy: ctx.negatedBy === undefined ? node.pos : undefined,
        });
        return;
      case 'has':
        checkHas(node, ctx);
        return;
      case 'compare':
        checkCompare(node, ctx, result, seen);
        return;
    }
  };
  visit(root, { underOr: false });
  return result;
}

export function resolveProperty(ref: { name: string; pos: number }): PropertySpec {
  const spec = lookupProperty(ref.name);
  if (spec) return spec;
  const hint = suggestProperty(ref.name);
  throw new DslSyntaxError(
    `unknown property '${ref.name}'${hint ? ` (property names are case-sensitive: did you mean '${hint}'?)` : ''}`,
    ref.pos,
  );
}

function label(spec: PropertySpec): string {
  return `${spec.name} (${spec.type})`;
}

/** The operators a property accepts in positive form, for "use ..." hints. */
function allowedSummary(spec: PropertySpec): string {
  const ops: string[] = [];
  if (spec.can.tokenContains) ops.push(':');
  if (spec.can.equals) ops.push('=');
  if (spec.can.range) ops.push('>', '>=', '<', '<=');
  if (spec.can.exists) ops.push('HAS');
  const last = ops.pop();
  return ops.length === 0 ? `${last}` : `${ops.join(', ')} or ${last}`;
}

/** Which forms may be negated, for the hint of a rejected NOT. */
function negationHint(spec: PropertySpec): string {
  const ops: string[] = [];
  if (spec.can.tokenNotContains) ops.push(':');
  if (spec.can.notEquals) ops.push('=');
  if (spec.can.range) ops.push('>', '>=', '<', '<=');
  if (spec.can.exists) ops.push('HAS');
  if (!spec.can.or || ops.length === 0) return 'it can only be required, joined with AND';
  return `NOT is allowed only with ${ops.join(', ')}`;
}

function checkHas(node: HasNode, ctx: Context): void {
  const spec = resolveProperty(node.property);
  if (!spec.can.exists) {
    throw new DslSyntaxError(`${label(spec)} does not support HAS; use ${allowedSummary(spec)}`, node.pos);
  }
  // HAS and NOT HAS share one column, so negation needs no separate check.
  checkAndOnlyContext(spec, node.property.pos, ctx);
}

function checkCompare(node: CompareNode, ctx: Context, result: CheckResult, seen: Set<string>): void {
  const spec = resolveProperty(node.property);
  const op = node.op;
  const positiveOk = op === ':' ? spec.can.tokenContains : op === '=' ? spec.can.equals : spec.can.range;
  if (!positiveOk) {
    throw new DslSyntaxError(
      `${label(spec)} does not support '${op}'; use ${allowedSummary(spec)}`,
      node.opPos,
    );
  }
  if (ctx.negatedBy !== undefined) {
    // NOT of a range is just the complementary range, so only ':' and '=' have a negated column.
    const negatedOk = op === ':' ? spec.can.tokenNotContains : op === '=' ? spec.can.notEquals : true;
    if (!negatedOk) {
      throw new DslSyntaxError(
        `${label(spec)} does not support NOT with '${op}'; ${negationHint(spec)}`,
        ctx.negatedBy,
      );
    }
  }
  checkAndOnlyContext(spec, node.property.pos, ctx);
  checkValue(spec, node);

  if (spec.role === 'status') {
    if (seen.has(spec.name)) throw new DslSyntaxError('Status may be given only once', node.property.pos);
    seen.add(spec.name);
    // checkValue guarantees ACTIVE or DELETED.
    result.status = node.value.value as 'ACTIVE' | 'DELETED';
  } else if (spec.role === 'param') {
    if (seen.has(spec.name))
      throw new DslSyntaxError(`${spec.name} may be given only once`, node.property.pos);
    seen.add(spec.name);
    result.params[spec.name] = paramValue(spec, node.value);
  }
}

function checkAndOnlyContext(spec: PropertySpec, pos: number, ctx: Context): void {
  if (spec.can.or) return;
  if (ctx.underOr) {
    throw new DslSyntaxError(`${spec.name} cannot be combined with OR; join it with AND only`, pos);
  }
  if (ctx.underNot !== undefined) {
    throw new DslSyntaxError(`${spec.name} cannot appear under NOT; join it with AND only`, pos);
  }
}

function checkValue(spec: PropertySpec, node: CompareNode): void {
  const value = node.value;
  switch (spec.type) {
    case 'NUMBER':
      numericValue(spec, value);
      return;
    case 'DATE':
      if (value.kind !== 'string' || parseIsoInstant(value.value) === undefined) {
        throw new DslSyntaxError(
          `${label(spec)} needs a quoted ISO 8601 date, e.g. '2025-01-16T11:52:56.000Z'`,
          value.pos,
        );
      }
      return;
    case 'TEXT':
      if (node.op === ':' && textTokens(valueText(value)).length === 0) {
        throw new DslSyntaxError(`${label(spec)} token match needs at least one letter or digit`, value.pos);
      }
      return;
    case 'KEYWORD':
      if (spec.role === 'status' && !(STATUS_VALUES as readonly string[]).includes(valueText(value))) {
        throw new DslSyntaxError(`Status must be 'ACTIVE' or 'DELETED'`, value.pos);
      }
      return;
  }
}

/** KEYWORD and TEXT compare strings; a bare number stands for its source text (NextToken=123). */
export function valueText(value: Value): string {
  return value.kind === 'string' ? value.value : value.raw;
}

/** NUMBER accepts a bare number or a quoted one ('12345'); anything else is an error. */
export function numericValue(spec: PropertySpec, value: Value): number {
  if (value.kind === 'number') return value.value;
  const n = value.value.trim() === '' ? NaN : Number(value.value);
  if (!Number.isFinite(n)) throw new DslSyntaxError(`${label(spec)} needs a number value`, value.pos);
  return n;
}

function paramValue(spec: PropertySpec, value: Value): string | number {
  return spec.type === 'NUMBER' ? numericValue(spec, value) : valueText(value);
}
