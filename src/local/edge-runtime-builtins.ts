// measured: run `npm run bench` before changing (docs/performance.md).
/**
 * Builtins the gateway calls on every request and every streamed chunk, bound once when the bundle loads;
 * bundleGateway points each `Global.member` of the bundle (zod's included) at these. Inside edge-runtime's
 * VM — where `npm start` serves the gateway — every global name is looked up through node:vm's interceptors
 * (~0.3 µs a lookup), and `Array` is a Proxy (edge-runtime's cross-realm `instanceof` patch) whose trap runs
 * on every `Array.isArray` (~0.5 µs): a streamed chunk paid several µs for lookups alone. Vercel's own
 * runtime has neither cost, and every member here ignores `this`, so binding changes nothing else.
 * Whole globals are bound too where the code names them per call: zod checks `instanceof Promise` on every
 * field it validates, and the converters build a Map or Set per request.
 * Exports are named `__<Global>_<member>` or `__<Global>`, which is how bundleGateway maps them.
 */
// Through globalThis: the bare names in this file would be rewritten to these bindings too.
const __Promise = globalThis.Promise;
const __Map = globalThis.Map;
const __Set = globalThis.Set;
const { isArray: __Array_isArray, from: __Array_from } = Array;
const { parse: __JSON_parse, stringify: __JSON_stringify } = JSON;
const {
  keys: __Object_keys,
  entries: __Object_entries,
  fromEntries: __Object_fromEntries,
  hasOwn: __Object_hasOwn,
  assign: __Object_assign,
  getPrototypeOf: __Object_getPrototypeOf,
  defineProperty: __Object_defineProperty,
} = Object;
const {
  isFinite: __Number_isFinite,
  isInteger: __Number_isInteger,
  isSafeInteger: __Number_isSafeInteger,
  isNaN: __Number_isNaN,
} = Number;
const { min: __Math_min, max: __Math_max, floor: __Math_floor, imul: __Math_imul } = Math;
const { now: __Date_now } = Date;

export {
  __Array_from,
  __Array_isArray,
  __Date_now,
  __JSON_parse,
  __JSON_stringify,
  __Map,
  __Math_floor,
  __Math_imul,
  __Math_max,
  __Math_min,
  __Number_isFinite,
  __Number_isInteger,
  __Number_isNaN,
  __Number_isSafeInteger,
  __Object_assign,
  __Object_defineProperty,
  __Object_entries,
  __Object_fromEntries,
  __Object_getPrototypeOf,
  __Object_hasOwn,
  __Object_keys,
  __Promise,
  __Set,
};
