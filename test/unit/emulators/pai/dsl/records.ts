// Fixed records shared by the DSL table tests. Each one exists to exercise particular cells:
// 'd' holds empty values (HAS must be false), 'f' has almost no fields (missing-field rules),
// 'g' has CJK text and a +08:00 time, 'e' is soft-deleted.
import { compileQueryExpression, type DslRecord } from '../../../../../src/emulators/pai/dsl/index.ts';

export const RECORDS: readonly DslRecord[] = [
  {
    DatasetFileMetaId: 'a',
    Uri: 'oss://bucket/cars/blue_car/lane line 001.jpg',
    FileName: 'lane line 001.jpg',
    FileDir: 'cars/blue_car/',
    FileType: 'image',
    ContentType: 'image/jpeg',
    DataSize: 12345,
    FileUpdateTime: '2025-03-01T00:00:00Z',
    SyncTime: '2025-03-02T00:00:00Z',
    TagUpdateTime: '2025-03-03T00:00:00Z',
    SemanticIndexUpdateTime: '2025-03-04T00:00:00Z',
    SemanticIndexJobId: 'dsjob-1',
    Status: 'ACTIVE',
    Tags: { ai: ['lane line', 'barrier gate', 'water horse'], user: ['sunny day'] },
  },
  {
    DatasetFileMetaId: 'b',
    Uri: 'oss://bucket/pets/black/black_cat.jpg',
    FileName: 'black_cat.jpg',
    FileDir: 'pets/black/',
    FileType: 'image',
    ContentType: 'image/jpeg',
    DataSize: 500,
    FileUpdateTime: '2025-01-10T08:00:00Z',
    SyncTime: '2025-01-11T08:00:00Z',
    TagUpdateTime: '2025-01-12T08:00:00.000Z',
    SemanticIndexUpdateTime: '2025-01-13T08:00:00Z',
    SemanticIndexJobId: 'dsjob-2',
    Status: 'ACTIVE',
    Tags: { ai: ['cat'], user: ['rainy days'] },
  },
  {
    DatasetFileMetaId: 'c',
    Uri: 'oss://bucket/pets/white/white_dog.png',
    FileName: 'white_dog.png',
    FileDir: 'pets/white/',
    FileType: 'image',
    ContentType: 'image/png',
    DataSize: 20000,
    FileUpdateTime: '2025-06-01T00:00:00Z',
    Status: 'ACTIVE',
    Tags: { user: ['lane line'] },
  },
  {
    DatasetFileMetaId: 'd',
    Uri: 'oss://bucket/videos/clip.mp4',
    FileName: 'clip.mp4',
    FileDir: 'videos/',
    FileType: 'video',
    ContentType: 'video/mp4',
    DataSize: 99999,
    FileUpdateTime: '2024-12-31T23:59:59Z',
    SemanticIndexJobId: '',
    Status: 'ACTIVE',
    Tags: { ai: [], user: [] },
  },
  {
    DatasetFileMetaId: 'e',
    Uri: 'oss://bucket/cars/blue_car/toyota.jpg',
    FileName: 'toyota.jpg',
    FileDir: 'cars/blue_car/',
    FileType: 'image',
    ContentType: 'image/jpeg',
    DataSize: 12345,
    FileUpdateTime: '2025-04-01T00:00:00Z',
    SemanticIndexJobId: 'dsjob-5',
    Status: 'DELETED',
    Tags: { ai: ['lane line', 'barrier gate'] },
  },
  { DatasetFileMetaId: 'f', Uri: 'oss://bucket/unknown', Status: 'ACTIVE' },
  {
    DatasetFileMetaId: 'g',
    Uri: 'oss://bucket/数据/车道/车道线.jpg',
    FileName: '车道线.jpg',
    FileDir: '数据/车道/',
    FileType: 'image',
    ContentType: 'image/jpeg',
    DataSize: 1,
    FileUpdateTime: '2025-02-01T00:00:00+08:00',
    Status: 'ACTIVE',
    Tags: { ai: ['车道线'] },
  },
];

export const ALL_IDS = RECORDS.map((r) => String(r['DatasetFileMetaId']));
export const IMAGE_IDS = ['a', 'b', 'c', 'e', 'g'];

/** Ids of the fixed records the expression matches, in fixture order. */
export function matchingIds(expression: string, records: readonly DslRecord[] = RECORDS): string[] {
  const query = compileQueryExpression(expression);
  return records.filter((r) => query.matches(r)).map((r) => String(r['DatasetFileMetaId']));
}

export function except(...ids: string[]): string[] {
  return ALL_IDS.filter((id) => !ids.includes(id));
}

/** Runs `fn` and returns the error it throws (fails the test when nothing is thrown). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}
