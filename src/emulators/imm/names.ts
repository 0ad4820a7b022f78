// Naming rules. Dataset names are documented (CreateDataset): 1-128 characters of letters, digits, '-'
// and '_', starting with a letter or '_'. Project names follow the same documented shape in CreateProject.
import { invalidArgument } from './api-error.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function checkName(kind: 'ProjectName' | 'DatasetName', name: string): void {
  if (!NAME.test(name)) {
    throw invalidArgument(
      `The parameter ${kind} "${name}" is invalid: use 1 to 128 letters, digits, hyphens (-) and underscores (_), starting with a letter or an underscore.`,
    );
  }
}

/** oss://bucket/key: the only URI form the emulator indexes (pds:// is out of scope, see README). */
export function parseOssUri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^oss:\/\/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\/(.+)$/s.exec(uri);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { bucket: m[1], key: m[2] };
}
