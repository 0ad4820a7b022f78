// Starts bench/emulators-process.ts as a child and calls its operations over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorOps, OpName, Request, Response } from './ipc-protocol.ts';

export interface EmulatorClient {
  pid: number;
  call<K extends OpName>(op: K, args: EmulatorOps[K]['args']): Promise<EmulatorOps[K]['result']>;
  stop(): Promise<void>;
}

/** `heapMB`: the emulator process's --max-old-space-size (its live heap at 10M objects is about 2 GB). */
export async function startEmulatorProcess(heapMB = 8192): Promise<EmulatorClient> {
  const script = fileURLToPath(new URL('../emulators-process.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx', `--max-old-space-size=${heapMB}`, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (msg: Response) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`emulator process: ${msg.error}`));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`emulator process exited (${code})`));
    pending.clear();
  });
  const call: EmulatorClient['call'] = (op, args) => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args } satisfies Request);
    });
  };
  return {
    pid: child.pid!,
    call,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      try {
        await call('close', {});
      } catch {
        // already gone
      }
      child.disconnect();
      await exited;
    },
  };
}
