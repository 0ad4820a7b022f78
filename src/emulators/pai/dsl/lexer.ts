// Lexer for the QueryExpression DSL: turns the source into positioned tokens so every later
// error can name the exact character offset the user has to fix.
import { DslSyntaxError } from './errors.ts';

export type ComparisonOperator = ':' | '=' | '>' | '>=' | '<' | '<=';

export type Token =
  | { kind: 'lparen'; pos: number }
  | { kind: 'rparen'; pos: number }
  | { kind: 'op'; op: ComparisonOperator; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; raw: string; pos: number }
  /** Property names, keywords (AND/OR/NOT/HAS, any case) and unquoted words; the parser tells them apart. */
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'eof'; pos: number };

// Word characters include '.' (Tags.ai) and '-' (so an unquoted 2025-01-01 stays one token and
// gets a clear "quote it" error instead of a confusing one about a stray number).
const WORD_CHAR = /[\p{L}\p{N}_.-]/u;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Operators users try from other languages; named so the error can say what to write instead. */
const FOREIGN_OPERATORS: ReadonlyArray<readonly [string, string]> = [
  ['==', "use '=' for an exact match"],
  ['!=', "use NOT prop = 'value' for an exclusion"],
  ['<>', "use NOT prop = 'value' for an exclusion"],
  ['&&', 'use AND'],
  ['||', 'use OR'],
  ['!', 'use NOT'],
  ['&', 'use AND'],
  ['|', 'use OR'],
  ['~', "use ':' for a token match"],
];

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src.charAt(i);
    if (/\s/u.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', pos: start });
      i += 1;
      continue;
    }
    const foreign = FOREIGN_OPERATORS.find(([text]) => src.startsWith(text, i));
    if (foreign) {
      throw new DslSyntaxError(`unknown operator '${foreign[0]}' (${foreign[1]})`, start);
    }
    if (ch === '>' || ch === '<') {
      const withEq = src.charAt(i + 1) === '=';
      tokens.push({ kind: 'op', op: withEq ? (`${ch}=` as '>=' | '<=') : ch, pos: start });
      i += withEq ? 2 : 1;
      continue;
    }
    if (ch === ':' || ch === '=') {
      tokens.push({ kind: 'op', op: ch, pos: start });
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const { value, end } = readString(src, start);
      tokens.push({ kind: 'string', value, pos: start });
      i = end;
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      let end = i;
      while (end < src.length && WORD_CHAR.test(src.charAt(end))) end += 1;
      const text = src.slice(start, end);
      if (NUMBER.test(text)) tokens.push({ kind: 'number', value: Number(text), raw: text, pos: start });
      else tokens.push({ kind: 'word', text, pos: start });
      i = end;
      continue;
    }
    throw new DslSyntaxError(`unexpected character '${ch}'`, start);
  }
  tokens.push({ kind: 'eof', pos: src.length });
  return tokens;
}

/** A backslash escapes the next character (so \' and \" embed a quote, \\ a backslash). */
function readString(src: string, start: number): { value: string; end: number } {
  const quote = src.charAt(start);
  let value = '';
  let i = start + 1;
  while (i < src.length) {
    const ch = src.charAt(i);
    if (ch === quote) return { value, end: i + 1 };
    if (ch === '\\' && i + 1 < src.length) {
      value += src.charAt(i + 1);
      i += 2;
      continue;
    }
    value += ch;
    i += 1;
  }
  throw new DslSyntaxError(`unterminated string starting with ${quote}`, start);
}
