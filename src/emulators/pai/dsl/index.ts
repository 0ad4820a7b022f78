// Public API of the QueryExpression DSL of PAI ListDatasetFileMetas:
// source -> lexer -> parser (AST) -> checker (property tables, params) -> evaluator (predicate).
import { check } from './checker.ts';
import { compilePredicate } from './evaluator.ts';
import { exactKeys } from './exact-keys.ts';
import { parse } from './parser.ts';
import type { CompiledQuery } from './types.ts';

export { DslSyntaxError } from './errors.ts';
export type { CompiledQuery, DslRecord } from './types.ts';
export type { ExactKeys } from './exact-keys.ts';

/** Compiles a QueryExpression; throws DslSyntaxError (with a 0-based position) on any rejection. */
export function compileQueryExpression(src: string): CompiledQuery {
  const ast = parse(src);
  const { params, status } = check(ast);
  const predicate = compilePredicate(ast);
  const compiled: CompiledQuery = { matches: predicate, params };
  if (status !== undefined) compiled.status = status;
  const keys = exactKeys(ast);
  if (keys !== undefined) compiled.keys = keys;
  return compiled;
}
