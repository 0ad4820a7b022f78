// MIME type of a PAI file-meta record: ContentType is the full type, FileType its top-level part
// (image|video|audio|text|application), as the PAI docs define it. The invariant
// fileType === top level of contentType holds for both functions, so a record built from the key
// (etag mode, no HEAD) and one built from the HEAD's Content-Type agree for the usual uploads.
//
// Where a registered type exists we use the one the `mime` package (what ali-oss sets on upload) gives,
// which is why json/xml are application/* even though they are text to a human. ML formats without a
// registered type get an application/* name that says what they are rather than octet-stream.
// No dependency: a small explicit table is easier to review than a 1,000-entry database.

export interface MimeInfo {
  contentType: string;
  fileType: string;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const FILE_TYPES = new Set(['image', 'video', 'audio', 'text', 'application']);

/** Lower-case extension (without dot) -> content type. */
const BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  // images
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['png', 'image/png'],
  ['gif', 'image/gif'],
  ['bmp', 'image/bmp'],
  ['tif', 'image/tiff'],
  ['tiff', 'image/tiff'],
  ['webp', 'image/webp'],
  ['heic', 'image/heic'],
  ['heif', 'image/heif'],
  ['avif', 'image/avif'],
  ['svg', 'image/svg+xml'],
  // PAI's docs list image/x-icon (mime says image/vnd.microsoft.icon); follow the consumer.
  ['ico', 'image/x-icon'],
  // video
  ['mp4', 'video/mp4'],
  ['m4v', 'video/x-m4v'],
  ['mov', 'video/quicktime'],
  ['avi', 'video/x-msvideo'],
  ['mkv', 'video/x-matroska'],
  ['webm', 'video/webm'],
  ['flv', 'video/x-flv'],
  ['mpeg', 'video/mpeg'],
  ['mpg', 'video/mpeg'],
  // audio
  ['wav', 'audio/wav'],
  ['mp3', 'audio/mpeg'],
  ['flac', 'audio/x-flac'],
  ['ogg', 'audio/ogg'],
  ['opus', 'audio/ogg'],
  ['m4a', 'audio/mp4'],
  ['aac', 'audio/x-aac'],
  // text
  ['txt', 'text/plain'],
  ['log', 'text/plain'],
  ['csv', 'text/csv'],
  ['tsv', 'text/tab-separated-values'],
  ['md', 'text/markdown'],
  ['html', 'text/html'],
  ['htm', 'text/html'],
  ['yaml', 'text/yaml'],
  ['yml', 'text/yaml'],
  // text to a human, application/* by registration
  ['json', 'application/json'],
  ['jsonl', 'application/jsonl'],
  ['ndjson', 'application/x-ndjson'],
  ['xml', 'application/xml'],
  // ML data and model formats (no registered types; named so the records stay searchable)
  ['parquet', 'application/vnd.apache.parquet'],
  ['arrow', 'application/vnd.apache.arrow.file'],
  ['feather', 'application/vnd.apache.arrow.file'],
  ['avro', 'application/avro'],
  ['orc', 'application/x-orc'],
  ['npy', 'application/x-npy'],
  ['npz', 'application/x-npz'],
  ['pt', 'application/x-pytorch'],
  ['pth', 'application/x-pytorch'],
  ['onnx', 'application/x-onnx'],
  ['safetensors', 'application/x-safetensors'],
  ['gguf', 'application/x-gguf'],
  ['tflite', 'application/x-tflite'],
  ['tfrecord', 'application/x-tfrecord'],
  ['h5', 'application/x-hdf5'],
  ['hdf5', 'application/x-hdf5'],
  ['pkl', 'application/x-pickle'],
  ['pickle', 'application/x-pickle'],
  ['bin', 'application/octet-stream'],
  // archives and documents
  ['tar', 'application/x-tar'],
  ['gz', 'application/gzip'],
  ['tgz', 'application/gzip'],
  ['zip', 'application/zip'],
  ['bz2', 'application/x-bzip2'],
  ['xz', 'application/x-xz'],
  ['zst', 'application/zstd'],
  ['7z', 'application/x-7z-compressed'],
  ['pdf', 'application/pdf'],
]);

/** The pair of every table entry (and of no extension), made once: a full sync asks for one per object. */
const BY_EXTENSION_INFO: ReadonlyMap<string, MimeInfo> = new Map(
  [...BY_EXTENSION].map(([ext, type]) => [ext, Object.freeze(mimeFromContentType(type))]),
);
const DEFAULT_INFO: MimeInfo = Object.freeze(mimeFromContentType(DEFAULT_CONTENT_TYPE));

/** From a key's extension: 'a/b.JPG' -> { contentType: 'image/jpeg', fileType: 'image' } (shared, frozen). */
export function mimeFromKey(key: string): MimeInfo {
  const dot = key.lastIndexOf('.');
  // No dot in the last segment, or a dotfile like '.env' (the dot starts the name, it is not an extension).
  if (dot <= key.lastIndexOf('/') + 1) return DEFAULT_INFO;
  const ext = key.slice(dot + 1);
  return BY_EXTENSION_INFO.get(ext) ?? BY_EXTENSION_INFO.get(ext.toLowerCase()) ?? DEFAULT_INFO;
}

/** Normalises a Content-Type header ('Image/JPEG; charset=...') into the pair; garbage -> octet-stream. */
export function mimeFromContentType(contentType: string): MimeInfo {
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const slash = essence.indexOf('/');
  // type/subtype, both non-empty and without spaces; anything else is not a usable MIME type.
  if (slash <= 0 || slash === essence.length - 1 || /\s/.test(essence)) {
    return { contentType: DEFAULT_CONTENT_TYPE, fileType: 'application' };
  }
  const top = essence.slice(0, slash);
  // PAI's FileType knows five families; font/*, model/*, multipart/* ... are opaque data to it.
  return { contentType: essence, fileType: FILE_TYPES.has(top) ? top : 'application' };
}
