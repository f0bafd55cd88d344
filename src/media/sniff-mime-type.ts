/**
 * The media type of file bytes from their first bytes or the file name, for inputs that do not say
 * (raw base64 `file_data`, a server answering `application/octet-stream`). Gemini needs a `mimeType` on
 * every inline part.
 */

const SIGNATURES: readonly (readonly [mimeType: string, offset: number, bytes: readonly number[]])[] = [
  ['application/pdf', 0, [0x25, 0x50, 0x44, 0x46]], // %PDF
  ['image/png', 0, [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', 0, [0xff, 0xd8, 0xff]],
  ['image/gif', 0, [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', 8, [0x57, 0x45, 0x42, 0x50]], // RIFF....WEBP
  ['audio/wav', 8, [0x57, 0x41, 0x56, 0x45]], // RIFF....WAVE
  ['audio/mp3', 0, [0x49, 0x44, 0x33]], // ID3
  ['audio/flac', 0, [0x66, 0x4c, 0x61, 0x43]],
  ['audio/ogg', 0, [0x4f, 0x67, 0x67, 0x53]],
];

const EXTENSIONS = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/md',
  csv: 'text/csv',
  html: 'text/html',
  xml: 'text/xml',
  json: 'application/json',
  js: 'text/javascript',
  py: 'text/x-python',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  wav: 'audio/wav',
  mp3: 'audio/mp3',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  aiff: 'audio/aiff',
  mp4: 'video/mp4',
  mov: 'video/mov',
  webm: 'video/webm',
} as const satisfies Record<string, string>;

export function sniffMimeType(head: Uint8Array, filename?: string | null): string | undefined {
  for (const [mimeType, offset, bytes] of SIGNATURES) {
    if (bytes.every((byte, i) => head[offset + i] === byte)) return mimeType;
  }
  const extension = filename?.slice(filename.lastIndexOf('.') + 1).toLowerCase();
  if (extension && Object.hasOwn(EXTENSIONS, extension)) return EXTENSIONS[extension as keyof typeof EXTENSIONS];
  return undefined;
}

/** The first bytes of standard base64 data, enough for `sniffMimeType`. */
export function decodeBase64Head(base64: string): Uint8Array {
  try {
    const binary = atob(base64.slice(0, 24));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}
