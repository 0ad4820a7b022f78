// classifyEventName: the allow-list truth table, with and without EventBridge's 'oss:' prefix.
import { describe, expect, it } from 'vitest';
import { classifyEventName } from '../../../../src/triggers/events/index.ts';

describe('classifyEventName', () => {
  it.each([
    ['ObjectCreated:PutObject', 'created'],
    ['ObjectCreated:PostObject', 'created'],
    ['ObjectCreated:CopyObject', 'created'],
    ['ObjectCreated:CompleteMultipartUpload', 'created'],
    ['ObjectCreated:AppendObject', 'created'],
    ['ObjectCreated:PutSymlink', 'created'],
    ['ObjectReplication:ObjectCreated', 'created'],
    ['ObjectReplication:ObjectModified', 'created'],
    ['ObjectRemoved:DeleteObject', 'removed'],
    ['ObjectRemoved:DeleteObjects', 'removed'],
    ['ObjectRemoved:SomeFutureDelete', 'removed'],
    ['ObjectReplication:ObjectRemoved', 'removed'],
    ['oss:ObjectCreated:PutObject', 'created'],
    ['oss:ObjectRemoved:DeleteObject', 'removed'],
  ] as const)('%s -> %s', (name, kind) => {
    expect(classifyEventName(name)).toBe(kind);
  });

  it.each([
    'ObjectCreated:InitiateMultipartUpload',
    'ObjectCreated:UploadPart',
    'ObjectCreated:UploadPartCopy',
    'oss:ObjectCreated:UploadPart',
    // Aborting an upload removes no object; see the truth table in classify-event-name.ts.
    'ObjectRemoved:AbortMultipartUpload',
    'oss:ObjectRemoved:AbortMultipartUpload',
    'ObjectRemoved:',
    'ObjectDownloaded:GetObject',
    'ObjectModified:UpdateObjectMeta',
    'ObjectRestore:FinishRestore',
    'oss:BucketCreated:PutBucket',
    'oss:BucketRemoved:DeleteBucket',
    'ObjectCreated:SomethingNew',
    'objectcreated:putobject',
    '',
  ])('%j -> ignored', (name) => {
    expect(classifyEventName(name)).toBeUndefined();
  });
});
