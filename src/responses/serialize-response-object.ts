import type { ResponseMeta } from './create-output-assembler';
import type { ResponseObject } from './response-types';

/** The fields of a response object before the echoed request settings (create-output-assembler's snapshot). */
const RESPONSE_FIELDS = 9;

/**
 * A response object as JSON, the same text as JSON.stringify of it. Every response object repeats the
 * request's settings (`echo`), tools included — a coding agent's 18 kB of them — which are serialised once per
 * request (`meta.echoJson`, which handle-responses takes from the instance's memo when the tools are the
 * last request's) and spliced in; a stream's `response.created` and `response.in_progress` share one text.
 */
export function createResponseSerializer(meta: ResponseMeta): (response: ResponseObject) => string {
  const echoKeys = Object.keys(meta.echo).length;
  let echoJson = meta.echoJson;
  let last: { response: unknown; json: string } | undefined;
  return (response) => {
    if (last?.response === response) return last.json;
    const { id, object, created_at, status, error, incomplete_details, model, output, usage } = response;
    // The snapshot's own fields, then the echo's, in the order the assembler builds them; anything else
    // (a field this does not know) takes the plain path.
    let json: string;
    if (Object.keys(response).length !== RESPONSE_FIELDS + echoKeys) json = JSON.stringify(response);
    else {
      echoJson ??= JSON.stringify(meta.echo).slice(1, -1);
      const head = JSON.stringify({ id, object, created_at, status, error, incomplete_details, model, output, usage });
      json = echoJson === '' ? head : `${head.slice(0, -1)},${echoJson}}`;
    }
    last = { response, json };
    return json;
  };
}
