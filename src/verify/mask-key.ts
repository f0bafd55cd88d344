/** A key as people may see it: at most its first 4 and last 4 characters, less for short keys. */
export function maskKey(key: string): string {
  if (key.length >= 16) return `${key.slice(0, 4)}…${key.slice(-4)}`;
  if (key.length >= 8) return `${key.slice(0, 2)}…${key.slice(-2)}`;
  return '…';
}
