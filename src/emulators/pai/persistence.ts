// dataFile persistence. JSON Lines rather than one JSON document: a million records would exceed V8's
// maximum string length as one JSON.stringify, and lines stream in and out with bounded memory.
//   {"type":"dataset","meta":{...},"versions":[{"VersionName":"v1",...}]}  (older files: ["v1"])
//   {"type":"record","datasetId":"d-..","version":"v1","record":{...}}      (creation order per version)
// A save writes a temp file and renames it over the old one, so a crash mid-save keeps the previous file.
// Saves are debounced (a burst of writes costs one save) and spaced at least twice the last save's
// duration apart, so a big store does not spend all its time saving.
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { DatasetMeta, MemoryPaiStore } from './store.ts';
import type { PaiFileMetaRecord } from './types.ts';
import type { VersionMeta } from './dataset-versions.ts';

const DEBOUNCE_MS = 500;

type Line =
  | { type: 'dataset'; meta: DatasetMeta; versions: Array<string | VersionMeta> }
  | { type: 'record'; datasetId: string; version: string; record: PaiFileMetaRecord };

export async function loadStore(file: string, store: MemoryPaiStore): Promise<void> {
  try {
    await access(file);
  } catch {
    return; // first start: nothing saved yet
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as Line;
      if (line.type === 'dataset') store.restoreDataset(line.meta, line.versions);
      else store.datasets.get(line.datasetId)?.versions.get(line.version)?.add(line.record);
    }
  } catch (err) {
    throw new Error(
      `cannot load PAI emulator data file ${file} (line ${lineNo}): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

async function writeLines(file: string, store: MemoryPaiStore): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const out = createWriteStream(tmp, { encoding: 'utf8' });
  const finished = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('finish', () => resolve());
  });
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  try {
    for (const d of [...store.datasets.values()]) {
      const { versions, ...meta } = d;
      await write(
        `${JSON.stringify({ type: 'dataset', meta, versions: [...versions.values()].map((r) => r.meta) })}\n`,
      );
      for (const [version, records] of versions) {
        const count = records.size; // records added while saving go to the next save
        let chunk = '';
        for (let i = 0; i < count; i++) {
          const record = records.at(i).rec;
          chunk += `${JSON.stringify({ type: 'record', datasetId: d.DatasetId, version, record })}\n`;
          if (chunk.length > 256 * 1024) {
            await write(chunk);
            chunk = '';
          }
        }
        if (chunk !== '') await write(chunk);
      }
    }
    out.end();
    await finished;
    await rename(tmp, file);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}

export class Persister {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private dirty = false;
  private lastDurationMs = 0;
  /** The last save error, surfaced by close() (a background save has nobody else to tell). */
  private failure: unknown;

  constructor(
    private readonly file: string,
    private readonly store: MemoryPaiStore,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer || this.saving) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.save();
      },
      Math.max(DEBOUNCE_MS, 2 * this.lastDurationMs),
    );
    this.timer.unref();
  }

  private async save(): Promise<void> {
    this.dirty = false;
    const started = Date.now();
    this.saving = writeLines(this.file, this.store).catch((err: unknown) => {
      this.failure = err;
    });
    await this.saving;
    this.saving = undefined;
    this.lastDurationMs = Date.now() - started;
    if (this.dirty) this.schedule();
  }

  /** Waits for a running save, then saves what is still unsaved. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.saving) await this.saving;
    if (this.dirty) await this.save();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failure) throw this.failure;
  }
}
