// Where a worker's CPU goes: self time of a `node --cpu-prof` profile grouped by package (node_modules/<pkg>,
// our src/<folder>, node internals) and the top functions. Run: npx tsx bench/profile-summary.ts <dir|file>...
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const src = /\/(src|bench|workers)\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url ? url : '(native/GC/idle)';
}

export function summarize(files: string[], top = 15): string {
  const byOwner = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  let startup = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(f, 'utf8')) as Profile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Module loading (and tsx compiling TypeScript) happens once per process, before any job: report it
    // apart so that the rest is what the work itself costs.
    const loading = (id: number): boolean => {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const cf = nodes.get(cur)?.callFrame;
        if (
          cf &&
          (/internal\/modules\//.test(cf.url) || /compileSourceTextModule|wrapSafe/.test(cf.functionName))
        )
          return true;
      }
      return false;
    };
    p.samples.forEach((id, i) => {
      const n = nodes.get(id);
      const dt = p.timeDeltas[i] ?? 0;
      if (!n || n.callFrame.functionName === '(idle)') return;
      if (loading(id)) {
        startup += dt;
        return;
      }
      total += dt;
      const o = owner(n.callFrame.url);
      byOwner.set(o, (byOwner.get(o) ?? 0) + dt);
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${o}:${n.callFrame.lineNumber + 1}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
    });
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, v]) =>
          `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1e6).toFixed(2).padStart(7)} s  ${k}`,
      )
      .join('\n');
  return [
    `busy CPU ${(total / 1e6).toFixed(2)} s over ${files.length} profile(s), ` +
      `plus ${(startup / 1e6).toFixed(2)} s loading modules (not counted below)`,
    'self time by owner:',
    fmt(byOwner),
    'top functions (self time):',
    fmt(byFn),
  ].join('\n');
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const files = process.argv.slice(2).flatMap(profilesIn);
  console.log(summarize(files));
}
