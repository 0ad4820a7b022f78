// The exact FileName (and FileDir) values a QueryExpression requires, when it requires some, so the
// emulator can take its candidates from an index instead of evaluating the expression on every record.
// Only conditions that every match satisfies count: conjuncts at the top of the expression that are
// `FileName='x'` or an OR of such (`(FileName='a' OR FileName='b')`), and likewise for FileDir. The sync's
// lookups are exactly that: `FileDir="d/" AND (FileName="a" OR ...)`, or the names alone at the bucket root.
// The whole expression is still evaluated on each candidate: this narrows where to look, never what matches.
import type { Node } from './ast.ts';
import { valueText } from './checker.ts';

export interface ExactKeys {
  /** A match's FileName is one of these. */
  names: string[];
  /** When set, a match's FileDir is one of these too. */
  dirs?: string[];
}

/** The values of `property` when `node` is `property='v'` or an OR of such, else undefined. */
function equalities(node: Node, property: 'FileName' | 'FileDir'): string[] | undefined {
  // '=' on these TEXT properties is an exact, case-sensitive comparison of valueText (evaluator.ts).
  if (node.kind === 'compare')
    return node.op === '=' && node.property.name === property ? [valueText(node.value)] : undefined;
  if (node.kind !== 'or') return undefined;
  const out: string[] = [];
  for (const child of node.children) {
    const values = equalities(child, property);
    if (values === undefined) return undefined;
    out.push(...values);
  }
  return out;
}

function conjuncts(node: Node): Node[] {
  return node.kind === 'and' ? node.children.flatMap(conjuncts) : [node];
}

/** Of several conjuncts on one property every match satisfies all, so any one will do: the narrowest. */
function narrowest(lists: Array<string[] | undefined>): string[] | undefined {
  let best: string[] | undefined;
  for (const list of lists) if (list && (!best || list.length < best.length)) best = list;
  return best;
}

export function exactKeys(root: Node): ExactKeys | undefined {
  const parts = conjuncts(root);
  const names = narrowest(parts.map((n) => equalities(n, 'FileName')));
  if (!names) return undefined;
  const dirs = narrowest(parts.map((n) => equalities(n, 'FileDir')));
  return dirs ? { names, dirs } : { names };
}
