// CreateDataset input validation (reference §5 CreateDatasetRequest; seed 004). Only the fields the
// emulator keeps are checked deeply; the rest are stored as given so GetDataset can echo them.
import { PaiApiError, invalidParameter, missingParameter } from './api-error.ts';
import type { PaiEdition } from './types.ts';

/** The workspace of a dataset created without WorkspaceId ("the default workspace" of the real API). */
export const DEFAULT_WORKSPACE_ID = 'default';

const DATA_SOURCE_TYPES = ['OSS', 'NAS', 'EXTREMENAS', 'CPFS', 'BMCPFS', 'MAXCOMPUTE', 'URL'];
const PROPERTIES = ['FILE', 'DIRECTORY'];
const EDITIONS: PaiEdition[] = ['BASIC', 'ADVANCED', 'LOGICAL'];
const DATA_TYPES = ['COMMON', 'PIC', 'TEXT', 'VIDEO', 'AUDIO'];
const SOURCE_TYPES = ['USER', 'ITAG', 'PAI_PUBLIC_DATASET'];
// ROLE_PUBLIC: visible to the workspace roles in AccessibleRoleIdList (CreateDatasetRequest doc).
const ACCESSIBILITIES = ['PRIVATE', 'PUBLIC', 'ROLE_PUBLIC'];
const PROVIDER_TYPES = ['Ecs', 'Lingjun'];
// Starts with a letter, digit or CJK character; then those plus _ and -; 1..127 characters.
const NAME = /^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff_-]{0,126}$/u;

export interface DatasetFields {
  Name: string;
  WorkspaceId: string;
  Edition: PaiEdition;
  Uri: string;
  Property: string;
  DataSourceType: string;
  DataType: string;
  SourceType: string;
  Accessibility: string;
  Description?: string;
  SourceId?: string;
  Options?: string;
  ImportInfo?: string;
  Labels?: unknown[];
  AccessibleRoleIdList?: string[];
  MountAccessReadWriteRoleIdList?: string[];
  Provider?: string;
  ProviderType?: string;
  UserId?: string;
  SourceDatasetId?: string;
  SourceDatasetVersion?: string;
  /** Of the initial version (v1); kept on the dataset so GetDataset can echo them. */
  VersionDescription?: string;
  VersionLabels?: unknown[];
  DataSize?: number;
  DataCount?: number;
}

export function optionalStringList(body: Record<string, unknown>, name: string): string[] | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw invalidParameter(name, 'must be an array of strings');
  return v;
}

export function optionalLabels(body: Record<string, unknown>, name: string): unknown[] | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidParameter(name, 'must be an array');
  for (const l of v) {
    if (typeof l !== 'object' || l === null || typeof (l as { Key?: unknown }).Key !== 'string')
      throw invalidParameter(name, 'each label must be {Key, Value}');
  }
  return v;
}

export function optionalCount(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw invalidParameter(name, 'must be a non-negative integer');
  return v;
}

/**
 * The storage kind a Uri names: `oss://` for OSS, `nas://` for NAS/EXTREMENAS/CPFS/BMCPFS (the doc's
 * CPFS Uris are `nas://<cpfs-fsid>...` too), `odps://` for MAXCOMPUTE, http(s) for URL.
 */
export function uriMatchesSource(uri: string, dataSourceType: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  switch (dataSourceType) {
    case 'OSS':
      return scheme === 'oss';
    case 'NAS':
    case 'EXTREMENAS':
    case 'CPFS':
    case 'BMCPFS':
      return scheme === 'nas' || scheme === 'cpfs' || scheme === 'bmcpfs';
    case 'MAXCOMPUTE':
      return scheme === 'odps';
    case 'URL':
      return scheme === 'http' || scheme === 'https';
    default:
      return false;
  }
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(name, 'must be a string');
  return v;
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const v = optionalString(body, name);
  if (v === undefined || v === '') throw missingParameter(name);
  return v;
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value))
    throw invalidParameter(name, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

export function checkCreateDataset(body: Record<string, unknown>): DatasetFields {
  const name = requiredString(body, 'Name');
  if (!NAME.test(name)) {
    throw invalidParameter(
      'Name',
      'must be 1-127 characters, start with a letter, a digit or a Chinese character, and contain only those, "_" and "-"',
    );
  }
  const property = oneOf('Property', requiredString(body, 'Property'), PROPERTIES, 'DIRECTORY');
  const dataSourceType = oneOf(
    'DataSourceType',
    requiredString(body, 'DataSourceType'),
    DATA_SOURCE_TYPES,
    'OSS',
  );
  const uri = requiredString(body, 'Uri');
  if (dataSourceType === 'OSS' && !/^oss:\/\/[^/]+/.test(uri)) {
    throw invalidParameter('Uri', 'an OSS data source needs a Uri like oss://bucket.endpoint/path/');
  }
  if (!uriMatchesSource(uri, dataSourceType)) {
    throw invalidParameter('Uri', `${uri} is not a ${dataSourceType} location`);
  }
  const edition = oneOf('Edition', optionalString(body, 'Edition'), EDITIONS, 'BASIC');
  if (edition !== 'BASIC' && dataSourceType !== 'OSS') {
    throw new PaiApiError(400, 'InvalidParameter', `Edition ${edition} supports only the OSS data source.`);
  }
  const labels = body.Labels;
  if (labels !== undefined && labels !== null && !Array.isArray(labels))
    throw invalidParameter('Labels', 'must be an array');
  const fields: DatasetFields = {
    Name: name,
    WorkspaceId: optionalString(body, 'WorkspaceId') || DEFAULT_WORKSPACE_ID,
    Edition: edition,
    Uri: uri,
    Property: property,
    DataSourceType: dataSourceType,
    DataType: oneOf('DataType', optionalString(body, 'DataType'), DATA_TYPES, 'COMMON'),
    SourceType: oneOf('SourceType', optionalString(body, 'SourceType'), SOURCE_TYPES, 'USER'),
    Accessibility: oneOf('Accessibility', optionalString(body, 'Accessibility'), ACCESSIBILITIES, 'PRIVATE'),
  };
  for (const f of [
    'Description',
    'SourceId',
    'Options',
    'ImportInfo',
    'Provider',
    'UserId',
    'SourceDatasetId',
    'SourceDatasetVersion',
    'VersionDescription',
  ] as const) {
    const v = optionalString(body, f);
    if (v !== undefined) fields[f] = v;
  }
  if (Array.isArray(labels)) fields.Labels = optionalLabels(body, 'Labels');
  const providerType = optionalString(body, 'ProviderType');
  if (providerType !== undefined)
    fields.ProviderType = oneOf('ProviderType', providerType, PROVIDER_TYPES, 'Ecs');
  // "Provider: the value cannot be pai" (pai marks PAI's own public datasets).
  if (fields.Provider === 'pai')
    throw invalidParameter('Provider', 'the value pai is reserved for PAI public datasets');
  const roles = optionalStringList(body, 'AccessibleRoleIdList');
  if (roles !== undefined) fields.AccessibleRoleIdList = roles;
  // Undocumented: what ROLE_PUBLIC without roles means. The emulator refuses it (README.md).
  if (fields.Accessibility === 'ROLE_PUBLIC' && (roles === undefined || roles.length === 0)) {
    throw invalidParameter('AccessibleRoleIdList', 'Accessibility ROLE_PUBLIC needs at least one role id');
  }
  const rw = optionalStringList(body, 'MountAccessReadWriteRoleIdList');
  if (rw !== undefined) fields.MountAccessReadWriteRoleIdList = rw;
  const versionLabels = optionalLabels(body, 'VersionLabels');
  if (versionLabels !== undefined) fields.VersionLabels = versionLabels;
  const dataSize = optionalCount(body, 'DataSize');
  if (dataSize !== undefined) fields.DataSize = dataSize;
  const dataCount = optionalCount(body, 'DataCount');
  if (dataCount !== undefined) fields.DataCount = dataCount;
  return fields;
}
