// Recursive-descent parser. Grammar (keywords case-insensitive):
//
//   expression := or EOF
//   or         := and ( OR and )*
//   and        := unary ( AND unary )*
//   unary      := NOT unary | primary          -- NOT binds tightest; NOT (group) is accepted
//   primary    := '(' or ')' | HAS property | property operator value
//   operator   := ':' | '=' | '>' | '>=' | '<' | '<='
//   value      := 'string' | "string" | number -- unquoted words are rejected (see README)
//
// The parser checks syntax only; which property allows which operator is the checker's job.
import type { Node, PropertyRef, Value } from './ast.ts';
import { DslSyntaxError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'HAS']);

export function parse(src: string): Node {
  return new Parser(tokenize(src)).parseExpression();
}

function keywordOf(token: Token): string | undefined {
  if (token.kind !== 'word') return undefined;
  const upper = token.text.toUpperCase();
  return KEYWORDS.has(upper) ? upper : undefined;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of expression';
    case 'lparen':
      return "'('";
    case 'rparen':
      return "')'";
    case 'op':
      return `'${token.op}'`;
    case 'string':
      return 'a quoted string';
    case 'number':
      return `number ${token.raw}`;
    case 'word':
      return `'${token.text}'`;
  }
}

/** Groups and NOTs nest at most this deep; deeper input is refused (400), never a stack overflow (500). */
export const MAX_NESTING = 64;

class Parser {
  private index = 0;
  private depth = 0;
  private readonly eof: Token;

  constructor(private readonly tokens: Token[]) {
    // tokenize() always ends the list with EOF; next() never moves past it.
    this.eof = tokens.at(-1) ?? { kind: 'eof', pos: 0 };
  }

  parseExpression(): Node {
    if (this.peek().kind === 'eof') throw new DslSyntaxError('empty expression', this.peek().pos);
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind === 'rparen') throw new DslSyntaxError("unbalanced ')' without a matching '('", next.pos);
    if (next.kind !== 'eof') {
      throw new DslSyntaxError(
        `unexpected ${describe(next)} after a complete condition (join conditions with AND or OR)`,
        next.pos,
      );
    }
    return node;
  }

  private parseOr(): Node {
    const children = [this.parseAnd()];
    while (keywordOf(this.peek()) === 'OR') {
      const or = this.next();
      children.push(this.parseOperand('OR', or.pos, () => this.parseAnd()));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'or', children };
  }

  private parseAnd(): Node {
    const children = [this.parseUnary()];
    while (keywordOf(this.peek()) === 'AND') {
      const and = this.next();
      children.push(this.parseOperand('AND', and.pos, () => this.parseUnary()));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'and', children };
  }

  /** Right operand of AND/OR: a missing one is reported at the dangling keyword itself. */
  private parseOperand(keyword: string, keywordPos: number, parseRight: () => Node): Node {
    const next = this.peek();
    if (
      next.kind === 'eof' ||
      next.kind === 'rparen' ||
      keywordOf(next) === 'AND' ||
      keywordOf(next) === 'OR'
    ) {
      throw new DslSyntaxError(`dangling ${keyword}: a condition must follow it`, keywordPos);
    }
    return parseRight();
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_NESTING) {
      throw new DslSyntaxError(`the expression nests groups and NOTs deeper than ${MAX_NESTING} levels`, pos);
    }
  }

  private parseUnary(): Node {
    const token = this.peek();
    if (keywordOf(token) === 'NOT') {
      this.next();
      const operand = this.peek();
      if (operand.kind === 'eof' || operand.kind === 'rparen') {
        throw new DslSyntaxError('NOT must be followed by a condition', token.pos);
      }
      this.enter(token.pos);
      const child = this.parseUnary();
      this.depth--;
      return { kind: 'not', pos: token.pos, child };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Node {
    const token = this.next();
    if (token.kind === 'lparen') {
      if (this.peek().kind === 'rparen') throw new DslSyntaxError("empty group '()'", token.pos);
      this.enter(token.pos);
      const inner = this.parseOr();
      this.depth--;
      const close = this.peek();
      if (close.kind !== 'rparen') {
        throw new DslSyntaxError(
          close.kind === 'eof'
            ? "unbalanced '(': missing ')'"
            : `expected ')' to close the '(' at position ${token.pos} but found ${describe(close)}`,
          close.kind === 'eof' ? token.pos : close.pos,
        );
      }
      this.next();
      return inner;
    }
    const keyword = keywordOf(token);
    if (keyword === 'HAS') {
      return { kind: 'has', pos: token.pos, property: this.expectProperty(this.next(), 'after HAS') };
    }
    if (token.kind === 'rparen') throw new DslSyntaxError("unbalanced ')' without a matching '('", token.pos);
    if (keyword === 'AND' || keyword === 'OR') {
      throw new DslSyntaxError(`${keyword} must have a condition on its left`, token.pos);
    }
    const property = this.expectProperty(token, 'at the start of a condition');
    const op = this.next();
    if (op.kind !== 'op') {
      throw new DslSyntaxError(
        `expected an operator (:, =, >, >=, <, <=) after '${property.name}' but found ${describe(op)}`,
        op.pos,
      );
    }
    return { kind: 'compare', property, op: op.op, opPos: op.pos, value: this.expectValue(op.op) };
  }

  private expectProperty(token: Token, where: string): PropertyRef {
    if (token.kind !== 'word' || keywordOf(token) !== undefined) {
      throw new DslSyntaxError(`expected a property name ${where} but found ${describe(token)}`, token.pos);
    }
    return { name: token.text, pos: token.pos };
  }

  private expectValue(op: string): Value {
    const token = this.next();
    if (token.kind === 'string') return { kind: 'string', value: token.value, pos: token.pos };
    if (token.kind === 'number')
      return { kind: 'number', value: token.value, raw: token.raw, pos: token.pos };
    if (token.kind === 'word' && keywordOf(token) === undefined) {
      throw new DslSyntaxError(
        `unquoted value '${token.text}': put string values in quotes, e.g. '${token.text}'`,
        token.pos,
      );
    }
    throw new DslSyntaxError(`missing value after '${op}' (found ${describe(token)})`, token.pos);
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.eof;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }
}
