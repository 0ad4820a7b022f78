// Public API of the PAI dataset API emulator (see README.md in this folder for the behaviour it chooses
// where the real API is undocumented).
export { startPaiEmulator, DEFAULT_CREDENTIAL } from './server.ts';
export { PaiApiError } from './api-error.ts';
export { RESULT as PAI_RESULT } from './results.ts';
export { DEFAULT_WORKSPACE_ID } from './dataset-fields.ts';
export { RATE_WINDOWS, type RateWindow } from './rate-limiter.ts';
export type {
  PaiCredential,
  PaiCreateDatasetInput,
  PaiDatasetSummary,
  PaiEdition,
  PaiEmulator,
  PaiEmulatorOptions,
  PaiFaults,
  PaiFileMetaRecord,
  PaiRecordStatus,
  PaiStats,
  PaiStore,
} from './types.ts';
