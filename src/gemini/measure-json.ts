/**
 * How deep a client's JSON value (parsed tool arguments, a schema's `default` or `enum` values) may nest.
 * Everything after the parse walks values recursively — JSON.stringify of the upstream body, the debug log,
 * the notes the schema converter writes — and a few thousand levels exhaust the stack (a RangeError, a 500).
 * No real tool call or schema comes near this; Gemini's own protobuf parsing stops long before it.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The length of `value` as JSON — counted in UTF-16 code units of its strings and names, JSON escapes aside —
 * or undefined when its arrays and objects nest more than `maxDepth` levels. It walks with its own stack, so
 * it is safe on any value JSON.parse returns, however deep.
 */
export function measureJson(value: unknown, maxDepth: number): number | undefined {
  let size = 0;
  const pending: unknown[] = [value];
  const depths: number[] = [0];
  while (pending.length > 0) {
    const node = pending.pop();
    const depth = depths.pop() ?? 0;
    if (typeof node === 'string') size += node.length + 3;
    else if (typeof node === 'number') size += String(node).length + 1;
    else if (typeof node === 'boolean' || node === null) size += 6;
    else if (typeof node === 'object') {
      // `depth` containers enclose this one: it is level depth + 1.
      if (depth >= maxDepth) return undefined;
      // Brackets and the comma after it, as every value's count includes one.
      size += 3;
      if (Array.isArray(node)) {
        for (const child of node) {
          pending.push(child);
          depths.push(depth + 1);
        }
      } else {
        for (const key of Object.keys(node)) {
          size += key.length + 3;
          pending.push((node as Record<string, unknown>)[key]);
          depths.push(depth + 1);
        }
      }
    }
  }
  return size;
}
