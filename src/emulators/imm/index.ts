// Public API of the IMM (2020-09-30) emulator (see README.md in this folder for the behaviour it chooses
// where the real API is undocumented).
export { startImmEmulator, DEFAULT_CREDENTIAL as IMM_DEFAULT_CREDENTIAL } from './server.ts';
export { ImmApiError } from './api-error.ts';
export type {
  ImmCredential,
  ImmDatasetView,
  ImmEmulator,
  ImmEmulatorOptions,
  ImmFaults,
  ImmFileRecord,
  ImmObjectInfo,
  ImmObjectSource,
  ImmStats,
  ImmStore,
  ImmThrottleStyle,
} from './types.ts';
