/**
 * Every rejection of a QueryExpression (malformed syntax or a property/operator pair the PAI
 * tables forbid) is one error class, so the emulator can map it to a single 400 response.
 */
export class DslSyntaxError extends Error {
  /** 0-based character offset of the offending token in the source expression. */
  readonly position: number;

  constructor(detail: string, position: number) {
    super(`${detail} at position ${position}`);
    this.name = 'DslSyntaxError';
    this.position = position;
  }
}
