// `oss-pai-sync demo`: the main job on an embedded default (see src/demo/demo.ts).
import { Command, Option } from 'commander';
import { runDemo } from '../../demo/demo.ts';

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'run the whole pipeline locally: emulators, a sample bucket, a full and an incremental sync, a final check',
    )
    .option('--images <n>', 'sample PNG images', '2000')
    .option('--texts <n>', 'sample text/JSON files', '1000')
    .addOption(
      new Option('--target <kind>', 'write to a PAI dataset or an IMM dataset')
        .choices(['pai', 'imm'])
        .default('pai'),
    )
    .action(async (o: { images: string; texts: string; target: 'pai' | 'imm' }) => {
      const res = await runDemo({ images: Number(o.images), texts: Number(o.texts), target: o.target });
      const ok = res.check.ok && res.full.status === 'completed' && res.incremental.status === 'completed';
      process.exitCode = ok ? 0 : 1;
    });
}
