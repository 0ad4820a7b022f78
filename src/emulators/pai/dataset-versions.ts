// Dataset versions: what CreateDatasetVersion accepts, what Get/ListDatasetVersions answer (the SDK's
// DatasetVersion model), and ListDatasetVersions' filters. Version names are v1, v2, ... in creation
// order; CreateDataset makes v1 from the dataset's own fields (VersionDescription, VersionLabels).
import { invalidParameter, missingParameter } from './api-error.ts';
import { optionalCount, optionalLabels, uriMatchesSource } from './dataset-fields.ts';
import type { VersionRecords } from './version-records.ts';

export interface VersionMeta {
  VersionName: string;
  DataSourceType: string;
  Property: string;
  Uri: string;
  SourceType: string;
  GmtCreateTime: string;
  GmtModifiedTime: string;
  Description?: string;
  SourceId?: string;
  Options?: string;
  ImportInfo?: string;
  Labels?: unknown[];
  DataSize?: number;
  DataCount?: number;
}

const PROPERTIES = ['FILE', 'DIRECTORY'];
const SOURCE_TYPES = ['USER', 'ITAG', 'PAI_PUBLIC_DATASET'];

function str(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidParameter(name, 'must be a string');
  return v;
}

/** The next free name: v<highest + 1>. */
export function nextVersionName(existing: Iterable<string>): string {
  let max = 0;
  for (const name of existing) {
    const n = /^v(\d+)$/.exec(name)?.[1];
    if (n !== undefined) max = Math.max(max, Number(n));
  }
  return `v${max + 1}`;
}

/** CreateDatasetVersion's body, checked against its dataset ("DataSourceType must be the same"). */
export function checkCreateVersion(
  body: Record<string, unknown>,
  dataset: { DataSourceType: string },
  name: string,
  now: string,
): VersionMeta {
  const dataSourceType = str(body, 'DataSourceType');
  if (dataSourceType === undefined) throw missingParameter('DataSourceType');
  if (dataSourceType !== dataset.DataSourceType) {
    throw invalidParameter(
      'DataSourceType',
      `must be the dataset's data source type ${dataset.DataSourceType}`,
    );
  }
  const property = str(body, 'Property');
  if (property === undefined) throw missingParameter('Property');
  if (!PROPERTIES.includes(property))
    throw invalidParameter('Property', `must be one of ${PROPERTIES.join(', ')}`);
  const uri = str(body, 'Uri');
  if (uri === undefined) throw missingParameter('Uri');
  if (!uriMatchesSource(uri, dataSourceType))
    throw invalidParameter('Uri', `${uri} is not a ${dataSourceType} location`);
  const sourceType = str(body, 'SourceType') ?? 'USER';
  if (!SOURCE_TYPES.includes(sourceType))
    throw invalidParameter('SourceType', `must be one of ${SOURCE_TYPES.join(', ')}`);
  const meta: VersionMeta = {
    VersionName: name,
    DataSourceType: dataSourceType,
    Property: property,
    Uri: uri,
    SourceType: sourceType,
    GmtCreateTime: now,
    GmtModifiedTime: now,
  };
  for (const f of ['Description', 'SourceId', 'Options', 'ImportInfo'] as const) {
    const v = str(body, f);
    if (v !== undefined) meta[f] = v;
  }
  const labels = optionalLabels(body, 'Labels');
  if (labels !== undefined) meta.Labels = labels;
  const size = optionalCount(body, 'DataSize');
  if (size !== undefined) meta.DataSize = size;
  const count = optionalCount(body, 'DataCount');
  if (count !== undefined) meta.DataCount = count;
  return meta;
}

/**
 * The SDK's DatasetVersion. DataCount of a dataset with file metadata (ADVANCED/LOGICAL) is its live
 * count of ACTIVE records; of a BASIC one, what the caller declared (0 when nothing).
 */
export function versionView(
  meta: VersionMeta,
  records: VersionRecords,
  edition: string,
): Record<string, unknown> {
  return {
    ...meta,
    Labels: meta.Labels ?? [],
    DataCount: edition === 'BASIC' ? (meta.DataCount ?? 0) : records.activeCount,
    DataSize: meta.DataSize ?? 0,
  };
}

export interface VersionListQuery {
  properties?: string[];
  sourceTypes?: string[];
  sourceId?: string;
  labelKeys?: string[];
  labelValues?: string[];
}

const csv = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export function parseVersionListQuery(q: Record<string, string>): VersionListQuery {
  const out: VersionListQuery = {};
  const props = csv(q.Properties);
  if (props) out.properties = props;
  const sources = csv(q.SourceTypes);
  if (sources) out.sourceTypes = sources;
  if (q.SourceId) out.sourceId = q.SourceId;
  const keys = csv(q.LabelKeys);
  if (keys) out.labelKeys = keys;
  const values = csv(q.LabelValues);
  if (values) out.labelValues = values;
  return out;
}

/** "Tag keys or tag values contain a specified string" (SDK doc): substring match on any label. */
export function labelsContain(labels: unknown[] | undefined, keys?: string[], values?: string[]): boolean {
  const list = (labels ?? []) as Array<{ Key?: unknown; Value?: unknown }>;
  const hit = (needles: string[] | undefined, pick: (l: { Key?: unknown; Value?: unknown }) => unknown) =>
    needles === undefined ||
    needles.some((n) => list.some((l) => typeof pick(l) === 'string' && (pick(l) as string).includes(n)));
  return hit(keys, (l) => l.Key) && hit(values, (l) => l.Value);
}

export function versionMatches(meta: VersionMeta, q: VersionListQuery): boolean {
  return (
    (q.properties === undefined || q.properties.includes(meta.Property)) &&
    (q.sourceTypes === undefined || q.sourceTypes.includes(meta.SourceType)) &&
    (q.sourceId === undefined || meta.SourceId === q.sourceId) &&
    labelsContain(meta.Labels, q.labelKeys, q.labelValues)
  );
}
