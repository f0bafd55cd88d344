import * as z from 'zod/mini';

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
const INT32_REASON = 'Gemini takes 32-bit integers';

/**
 * An integer for one of Gemini's proto int32 fields, within [min, max]. Gemini refuses a larger number
 * (400 TYPE_INT32) only after the request has cost a key's quota, so it is a local 400 naming the field.
 * `reason` explains a tighter `max` (Gemini's own limit) in the error message.
 */
export function int32(min: number = INT32_MIN, max: number = INT32_MAX, reason: string = INT32_REASON) {
  return z
    .int()
    .check(
      z.minimum(min, `expected a value >= ${min}${min === INT32_MIN ? ` (${INT32_REASON})` : ''}`),
      z.maximum(max, `expected a value <= ${max} (${reason})`),
    );
}
