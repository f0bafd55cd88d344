const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * For each character of a generated file, the index (into the source map's `sources`) of the source it was
 * generated from, or -1 where no mapping covers it (a bundler's own glue). Each mapping segment owns the
 * characters up to the next segment on its line. Source map v3: https://tc39.es/ecma426/#sec-mappings
 */
export function attributeOutputChars(code: string, mappings: string): Int32Array {
  const owners = new Int32Array(code.length).fill(-1);
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let source = 0;
  mappings.split(';').forEach((line, lineIndex) => {
    const start = lineStarts[lineIndex];
    if (start === undefined) return;
    const end = lineStarts[lineIndex + 1] ?? code.length;
    let column = 0;
    let owner = -1;
    let from = start;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      column += fields[0] ?? 0;
      owners.fill(owner, from, Math.min(start + column, end));
      from = start + column;
      if (fields.length > 1) source += fields[1] ?? 0;
      owner = fields.length > 1 ? source : -1;
    }
    owners.fill(owner, from, end);
  });
  return owners;
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
