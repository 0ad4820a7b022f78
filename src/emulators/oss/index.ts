// Public surface of the OSS emulator (see README.md in this folder).
export type {
  OssCredential,
  OssEmulator,
  OssEmulatorOptions,
  OssEventTarget,
  OssFaults,
  OssObjectInfo,
  OssObjectType,
  OssPutOptions,
  OssSeedObject,
  OssStats,
  OssStore,
} from './types.ts';
export { startOssEmulator, type OssEmulatorInternal } from './server.ts';
export { crc64 } from './crc64.ts';
export { compareUtf8 } from './utf8-order.ts';
export { SIGNATURE_HEADER as EVENT_SIGNATURE_HEADER } from './event-notifier.ts';
export type { OssEventName, OssEventRecord } from './event-payload.ts';
