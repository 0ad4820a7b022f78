// `npx tsx bench/events-throughput.ts [--puts N] [--concurrency C] [--in-flight K,K2] [--receiver-ms D]`:
// how many event notifications per second the OSS emulator delivers while PUTs arrive. Puts go through
// the real ali-oss client (C at a time); the receiver answers 204 after D ms (a receiver that does
// some work). Prints puts/s (all PUTs answered) and events/s (first PUT to last event delivered) per
// in-flight setting. A measurement, not a test: nothing is asserted.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import OSS from 'ali-oss';
import { startOssEmulator } from '../src/emulators/oss/index.ts';

const { values: args } = parseArgs({
  options: {
    puts: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '64' },
    'in-flight': { type: 'string', default: '1,8,32' },
    'receiver-ms': { type: 'string', default: '2' },
  },
});
const puts = Number(args.puts);
const concurrency = Number(args.concurrency);
const receiverMs = Number(args['receiver-ms']);

async function measure(inFlight: number): Promise<{ putsPerS: number; eventsPerS: number; sockets: number }> {
  const sockets = new Set<unknown>();
  const receiver = createServer((req, res) => {
    sockets.add(req.socket);
    req.resume();
    req.on('end', () => setTimeout(() => res.writeHead(204).end(), receiverMs));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  const emu = await startOssEmulator({
    buckets: ['bench-events'],
    events: { url, format: 'mns', maxInFlight: inFlight },
  });
  const oss = new OSS({
    accessKeyId: 'emulator-ak',
    accessKeySecret: 'emulator-secret',
    bucket: 'bench-events',
    endpoint: emu.endpoint,
    region: 'oss-cn-hangzhou',
    authorizationV4: true,
  } as OSS.Options);
  const body = Buffer.from('event bench');
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < puts) {
        const i = next++;
        await oss.put(`k/${i}`, body);
      }
    }),
  );
  const putsDone = performance.now();
  await emu.eventsIdle();
  const eventsDone = performance.now();
  const delivered = emu.eventStats.delivered;
  await emu.close();
  await new Promise((resolve) => receiver.close(resolve));
  return {
    putsPerS: Math.round(puts / ((putsDone - started) / 1000)),
    eventsPerS: Math.round(delivered / ((eventsDone - started) / 1000)),
    sockets: sockets.size,
  };
}

console.log(`puts=${puts} concurrency=${concurrency} receiver=${receiverMs} ms per event`);
for (const k of String(args['in-flight']).split(',').map(Number)) {
  const r = await measure(k);
  console.log(
    `in-flight ${String(k).padStart(3)}: ${r.putsPerS} puts/s, ${r.eventsPerS} events/s delivered, ${r.sockets} receiver sockets`,
  );
}
