// Growable typed-array columns for the record store: one number per record in 8, 4 or 1 bytes, where a
// JS array of doubles would box each value (16 bytes a HeapNumber plus the 8-byte slot).

type NumberArray = Float64Array | Int32Array | Uint8Array;

class TypedColumn {
  private n = 0;

  constructor(
    private data: NumberArray,
    private readonly grow: (length: number) => NumberArray,
  ) {}

  get length(): number {
    return this.n;
  }

  push(v: number): void {
    if (this.n === this.data.length) {
      // 1.5x: at 10M records a doubling would leave up to 80 MB unused per column.
      const next = this.grow(Math.ceil(this.data.length * 1.5));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }
}

export class Float64Column extends TypedColumn {
  constructor() {
    super(new Float64Array(1024), (n) => new Float64Array(n));
  }
}

/** Record positions (seqs) and links between them; -1 for none. */
export class Int32Column extends TypedColumn {
  constructor() {
    super(new Int32Array(1024), (n) => new Int32Array(n));
  }
}

export class Uint8Column extends TypedColumn {
  constructor() {
    super(new Uint8Array(1024), (n) => new Uint8Array(n));
  }
}
