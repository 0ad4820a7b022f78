// AST of a QueryExpression. Every node keeps the source offsets the checker needs for its errors.
import type { ComparisonOperator } from './lexer.ts';

export interface PropertyRef {
  name: string;
  pos: number;
}

export type Value =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; raw: string; pos: number };

export interface CompareNode {
  kind: 'compare';
  property: PropertyRef;
  op: ComparisonOperator;
  opPos: number;
  value: Value;
}

export interface HasNode {
  kind: 'has';
  property: PropertyRef;
  /** Offset of the HAS keyword. */
  pos: number;
}

export interface NotNode {
  kind: 'not';
  /** Offset of the NOT keyword. */
  pos: number;
  child: Node;
}

export interface BoolNode {
  kind: 'and' | 'or';
  /** At least two children: the parser does not build one-child AND/OR nodes. */
  children: Node[];
}

export type Node = CompareNode | HasNode | NotNode | BoolNode;
