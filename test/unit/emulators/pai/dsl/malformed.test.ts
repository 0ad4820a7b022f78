// Malformed and rejected expressions: each case pins the exact 0-based position reported.
import { describe, expect, it } from 'vitest';
import { compileQueryExpression, DslSyntaxError } from '../../../../../src/emulators/pai/dsl/index.ts';
import { thrownBy } from './records.ts';

interface BadRow {
  expression: string;
  position: number;
  /** A fragment the message must contain, so the user learns what is wrong. */
  says: string;
}

const ROWS: Record<string, BadRow[]> = {
  'empty expression': [
    { expression: '', position: 0, says: 'empty expression' },
    { expression: '   ', position: 3, says: 'empty expression' },
    { expression: '()', position: 0, says: "empty group '()'" },
  ],
  'unbalanced parentheses': [
    { expression: "(FileType='image'", position: 0, says: "unbalanced '('" },
    { expression: "((FileType='image')", position: 0, says: "unbalanced '('" },
    { expression: "(FileType='image' AND (FileName:'x')", position: 0, says: "unbalanced '('" },
    { expression: "FileType='image')", position: 16, says: "unbalanced ')'" },
    { expression: ')', position: 0, says: "unbalanced ')'" },
    {
      expression: "(FileType='image' FileName:'x')",
      position: 18,
      says: "expected ')' to close the '(' at position 0",
    },
  ],
  'unterminated string': [
    { expression: "FileName:'lane", position: 9, says: 'unterminated string' },
    { expression: 'FileName:"it\\"s', position: 9, says: 'unterminated string' },
    { expression: "FileName:'it\\'", position: 9, says: 'unterminated string' },
  ],
  'missing value or operator': [
    { expression: 'FileName:', position: 9, says: "missing value after ':'" },
    { expression: "FileName: AND FileType='x'", position: 10, says: "missing value after ':'" },
    { expression: "FileType 'image'", position: 9, says: 'expected an operator' },
    { expression: 'FileType', position: 8, says: 'expected an operator' },
    { expression: 'FileType=image', position: 9, says: 'put string values in quotes' },
    { expression: 'FileUpdateTime > 2025-01-01', position: 17, says: 'put string values in quotes' },
  ],
  'dangling AND / OR / NOT / HAS': [
    { expression: "FileType='image' AND", position: 17, says: 'dangling AND' },
    { expression: "FileType='image' OR", position: 17, says: 'dangling OR' },
    { expression: "FileType='a' AND OR FileType='b'", position: 13, says: 'dangling AND' },
    { expression: "(FileType='a' AND)", position: 14, says: 'dangling AND' },
    { expression: "AND FileType='image'", position: 0, says: 'AND must have a condition on its left' },
    { expression: "or FileType='image'", position: 0, says: 'OR must have a condition on its left' },
    { expression: 'NOT', position: 0, says: 'NOT must be followed by a condition' },
    { expression: "FileType='a' AND NOT", position: 17, says: 'NOT must be followed by a condition' },
    { expression: 'HAS', position: 3, says: 'expected a property name after HAS' },
    { expression: "HAS 'FileName'", position: 4, says: 'expected a property name after HAS' },
    { expression: 'HAS AND', position: 4, says: 'expected a property name after HAS' },
  ],
  'unknown operators and characters': [
    { expression: "FileType=='image'", position: 8, says: "unknown operator '=='" },
    { expression: "FileType!='image'", position: 8, says: "unknown operator '!='" },
    { expression: "FileType<>'image'", position: 8, says: "unknown operator '<>'" },
    { expression: "FileType='a' && FileType='b'", position: 13, says: "unknown operator '&&'" },
    { expression: "FileType='a' || FileType='b'", position: 13, says: "unknown operator '||'" },
    { expression: "FileType='a' # x", position: 13, says: "unexpected character '#'" },
  ],
  'trailing garbage': [
    {
      expression: "FileType='image' FileName:'x'",
      position: 17,
      says: "unexpected 'FileName' after a complete condition",
    },
    { expression: "FileType='image' 'x'", position: 17, says: 'unexpected a quoted string' },
    { expression: "FileType='image' 42", position: 17, says: 'unexpected number 42' },
  ],
  'values that do not fit the type': [
    { expression: "FileUpdateTime > 'not a date'", position: 17, says: 'ISO 8601' },
    { expression: "FileUpdateTime > '2025-02-30T00:00:00Z'", position: 17, says: 'ISO 8601' },
    { expression: 'FileUpdateTime > 20250101', position: 17, says: 'ISO 8601' },
    { expression: "DataSize > 'big'", position: 11, says: 'DataSize (NUMBER) needs a number value' },
    { expression: "TopK='many'", position: 5, says: 'TopK (NUMBER) needs a number value' },
    { expression: "Status='ALL'", position: 7, says: "Status must be 'ACTIVE' or 'DELETED'" },
    { expression: "FileName:'...'", position: 9, says: 'needs at least one letter or digit' },
  ],
  'operators a property does not allow': [
    {
      expression: "FileUpdateTime = '2025-01-01T00:00:00Z'",
      position: 15,
      says: "FileUpdateTime (DATE) does not support '='; use >, >=, <, <= or HAS",
    },
    {
      expression: "DataSize:'x'",
      position: 8,
      says: "DataSize (NUMBER) does not support ':'; use =, >, >=, <, <= or HAS",
    },
    { expression: 'NOT DataSize = 5', position: 0, says: 'NOT is allowed only with >, >=, <, <=, HAS' },
    { expression: "Content='x'", position: 7, says: "Content (TEXT) does not support '='; use :" },
  ],
  'AND-only properties': [
    { expression: "Status='ACTIVE' OR FileType='x'", position: 0, says: 'Status cannot be combined with OR' },
    { expression: "NOT Status='ACTIVE'", position: 0, says: 'it can only be required, joined with AND' },
    {
      expression: "NOT (FileType='a' AND Status='ACTIVE')",
      position: 0,
      says: 'Status (KEYWORD) does not support NOT',
    },
    { expression: "NOT NOT Status='ACTIVE'", position: 8, says: 'Status cannot appear under NOT' },
    {
      expression: "FileType='a' OR (TopK=5 AND FileType='b')",
      position: 17,
      says: 'TopK cannot be combined with OR',
    },
    { expression: "NOT (TopK=5 AND FileType='b')", position: 0, says: 'TopK (NUMBER) does not support NOT' },
    {
      expression: "NOT (HAS FileName AND Content:'cat')",
      position: 0,
      says: 'Content (TEXT) does not support NOT',
    },
    { expression: "NOT NOT Content:'cat'", position: 8, says: 'Content cannot appear under NOT' },
    { expression: 'TopK=1 AND TopK=2', position: 11, says: 'TopK may be given only once' },
    {
      expression: "Status='ACTIVE' AND Status='DELETED'",
      position: 20,
      says: 'Status may be given only once',
    },
  ],
};

describe.each(Object.entries(ROWS))('malformed: %s', (_group, rows) => {
  it.each(rows)('$expression -> position $position', ({ expression, position, says }) => {
    const error = thrownBy(() => compileQueryExpression(expression));
    expect(error).toBeInstanceOf(DslSyntaxError);
    const dslError = error as DslSyntaxError;
    expect(dslError.message).toContain(says);
    expect(dslError.position).toBe(position);
    expect(dslError.message.endsWith(` at position ${position}`)).toBe(true);
  });
});
