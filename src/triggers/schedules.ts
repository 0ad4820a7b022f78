// Cron schedules as BullMQ job schedulers on the control queue. A tick only ASKS for a run: the control
// worker starts it, or, when a run of the binding is active, leaves at most one follow-up. BullMQ keeps one
// delayed job per scheduler, so ticks missed while no worker was up do not pile up.
import type { Queue } from 'bullmq';
import type { FlatConfig } from '../config/load.ts';
import { buildConfig } from '../config/load.ts';
import { CONTROL_TICK } from '../queue/keys.ts';
import type { ControlJobData } from '../queue/payloads.ts';

export class ScheduleError extends Error {}

const schedulerId = (name: string) => `schedule.${name}`;

export interface ScheduleInfo {
  name: string;
  cron: string;
  tz?: string;
  next?: string;
  source?: string;
}

/**
 * A cron expression has 5 fields (or 6 with seconds first); the parser's own message for 4 or 7 fields
 * does not say so.
 */
export function cronFieldProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 5 || fields.length === 6) return undefined;
  return (
    `the cron expression "${cron}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; ` +
    'a cron expression has 5 (minute hour day-of-month month day-of-week, e.g. "0 2 * * *") ' +
    'or 6 with seconds first (e.g. "0 0 2 * * *")'
  );
}

export async function addSchedule(
  queue: Queue<ControlJobData>,
  name: string,
  cron: string,
  tz: string | undefined,
  config: FlatConfig,
): Promise<ScheduleInfo> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new ScheduleError(`schedule name "${name}": use 1-64 letters, digits, '.', '_' or '-'`);
  }
  const fieldProblem = cronFieldProblem(cron);
  if (fieldProblem) throw new ScheduleError(`schedule "${name}": ${fieldProblem}`);
  // Validate now, not at 3 a.m.: the same check the worker will make.
  const parsed = buildConfig(config, {}, {});
  // Redis location is the worker's business; the schedule keeps only the binding.
  const { redisUrl: _r, queuePrefix: _q, redisCluster: _c, ...binding } = config;
  try {
    const job = await queue.upsertJobScheduler(
      schedulerId(name),
      { pattern: cron, ...(tz ? { tz } : {}) },
      {
        name: CONTROL_TICK,
        data: { config: binding, schedule: name, kind: 'scheduled' },
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
    return {
      name,
      cron,
      ...(tz ? { tz } : {}),
      ...(job?.timestamp ? { next: new Date(job.timestamp + (job.delay ?? 0)).toISOString() } : {}),
      source: `oss://${parsed.source.bucket}/${parsed.source.prefix}`,
    };
  } catch (err) {
    throw new ScheduleError(
      `schedule "${name}": invalid cron expression "${cron}"${tz ? ` or time zone "${tz}"` : ''}: ${(err as Error).message}`,
    );
  }
}

export async function listSchedules(queue: Queue<ControlJobData>): Promise<ScheduleInfo[]> {
  const all = await queue.getJobSchedulers(0, -1, true);
  return all
    .filter((s) => s.key.startsWith('schedule.'))
    .map((s) => {
      const cfg = (s.template?.data as { config?: FlatConfig } | undefined)?.config;
      return {
        name: s.key.slice('schedule.'.length),
        cron: s.pattern ?? '',
        ...(s.tz ? { tz: s.tz } : {}),
        ...(s.next ? { next: new Date(s.next).toISOString() } : {}),
        ...(cfg ? { source: `oss://${String(cfg.bucket)}/${String(cfg.prefix ?? '')}` } : {}),
      };
    });
}

export async function removeSchedule(queue: Queue<ControlJobData>, name: string): Promise<boolean> {
  return queue.removeJobScheduler(schedulerId(name));
}
