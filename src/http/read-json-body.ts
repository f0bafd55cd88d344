import type { RequestContext } from '../context';
import { GatewayError } from '../errors';
import { decodeBodyText, readBody } from './read-body';

export interface JsonBody {
  json: unknown;
  /** The body's length in characters, for limits relative to the request (create-schema-budget). */
  size: number;
}

/** The request's JSON body, or OpenAI's own 400 when it is not a JSON object. */
export async function readJsonBody(request: Request, ctx: RequestContext): Promise<unknown> {
  return (await readSizedJsonBody(request, ctx)).json;
}

/** readJsonBody, with the body's size for limits that scale with the request. */
export async function readSizedJsonBody(request: Request, ctx: RequestContext): Promise<JsonBody> {
  const text = decodeBodyText(await readBody(request, ctx.config.maxBodyBytes));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new GatewayError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      { code: 'invalid_json' },
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError(400, 'The request body must be a JSON object.', { code: 'invalid_json' });
  }
  return { json: body, size: text.length };
}
