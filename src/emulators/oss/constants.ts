// Account identity the emulator presents: listings' Owner, event ARNs and principal ids. Real OSS
// shows the numeric Alibaba Cloud UID of the bucket owner; one fixed fake UID keeps answers stable.
export const OWNER_ID = '1738463905291384';
export const MAX_KEY_BYTES = 1023;
export const MAX_LIST_KEYS = 1000;
export const DEFAULT_LIST_KEYS = 100;
export const MAX_DELETE_KEYS = 1000;
export const DEFAULT_REGION = 'cn-hangzhou';
export const DEFAULT_CREDENTIAL = { accessKeyId: 'emulator-ak', accessKeySecret: 'emulator-secret' } as const;
