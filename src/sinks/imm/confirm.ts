// Confirmation of an asynchronous BatchIndexFileMeta: BatchGetFileMeta on the batch's URIs until each file
// shows the result of THIS send (its SyncSendId label): Indexed, or Failed with a Reason. Polls back off
// from pollMs to 2 s; what is still unknown at the deadline stays "pending" (classify: retry, look up first).
// Every poll goes through the API gate and the run's guard like any other call.
import type { ImmApi, ImmFile, ImmTarget } from '../../imm/imm-api.ts';
import type { CallGuard } from '../sink.ts';
import type { Confirmation } from './classify.ts';
import { LABEL, objectUri } from './request.ts';

export interface ConfirmDeps {
  api: ImmApi;
  target: ImmTarget;
  bucket: string;
  /** One BatchGetFileMeta through the gate (throws on failure). */
  read: (guard: CallGuard, fn: () => Promise<ImmFile[]>) => Promise<ImmFile[]>;
  timeoutMs: number;
  pollMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** PURE: what one file read back says about the send `sendId`. */
export function confirmationOf(file: ImmFile | undefined, sendId: string): Confirmation {
  // A failed file without any of our labels: IMM may not keep user fields on failures (undocumented). It is
  // a failure of SOME send of this URI, maybe an older one: reported, but only ever retried (classify).
  if (file?.ObjectStatus === 'Failed' && file.CustomLabels?.[LABEL.sendId] === undefined) {
    return { status: 'failed', reason: file.Reason ?? 'failed without a Reason', unattributed: true };
  }
  if (!file || file.CustomLabels?.[LABEL.sendId] !== sendId) return { status: 'pending' };
  if (file.ObjectStatus === 'Failed')
    return { status: 'failed', reason: file.Reason ?? 'failed without a Reason' };
  // IMM documents ObjectStatus "Indexed"; a file without the field but with our labels is taken as indexed.
  if (file.ObjectStatus === undefined || /^indexed$/i.test(file.ObjectStatus)) return { status: 'indexed' };
  return { status: 'pending' };
}

export async function confirmIndexed(
  d: ConfirmDeps,
  keys: readonly string[],
  sendId: string,
  guard: CallGuard,
): Promise<{ results: Map<string, Confirmation>; waitedMs: number }> {
  const now = d.now ?? Date.now;
  const sleep = d.sleep ?? defaultSleep;
  const start = now();
  const results = new Map<string, Confirmation>();
  let open = [...new Set(keys)];
  let wait = d.pollMs;
  for (;;) {
    await sleep(wait);
    let files: ImmFile[] | undefined;
    try {
      files = await d.read(guard, () =>
        d.api.batchGet(
          d.target,
          open.map((k) => objectUri(d.bucket, k)),
        ),
      );
    } catch (err) {
      // A failed poll is not an answer: keep polling until the deadline (the guard's stop goes up).
      if ((err as Error).name === 'StopCalls') throw err;
    }
    if (files) {
      const byUri = new Map(files.map((f) => [f.URI, f]));
      const still: string[] = [];
      for (const k of open) {
        const c = confirmationOf(byUri.get(objectUri(d.bucket, k)), sendId);
        if (c.status === 'pending') still.push(k);
        else results.set(k, c);
      }
      open = still;
    }
    const waited = now() - start;
    if (open.length === 0 || waited >= d.timeoutMs) return { results, waitedMs: waited };
    wait = Math.min(2_000, Math.ceil(wait * 1.5), Math.max(1, d.timeoutMs - waited));
  }
}
