/**
 * Validation of embedContent and batchEmbedContents bodies. The batch form is where gateways slip: every
 * request must repeat `model: "models/{model}"` (the same model as the URL), and at most 100 fit in one call.
 */
import { invalidRequest } from './errors';
import {
  batchEmbedContentsRequestSchema,
  type EmbedContentRequest,
  embedContentRequestSchema,
} from './gemini-request-schema';
import type { ModelEntry } from './models';
import { parseProto } from './proto-json';

const MAX_BATCH = 100;

export function validateEmbedRequest(body: unknown, model: ModelEntry): EmbedContentRequest {
  const parsed = parseProto(embedContentRequestSchema, body);
  if (!parsed.ok) throw parsed.error;
  const problems = embedProblems(parsed.value, 'EmbedContentRequest', model);
  if (problems.length > 0) throw invalidRequest(problems);
  return parsed.value;
}

export function validateBatchEmbedRequest(body: unknown, model: ModelEntry): EmbedContentRequest[] {
  const parsed = parseProto(batchEmbedContentsRequestSchema, body);
  if (!parsed.ok) throw parsed.error;
  const requests = parsed.value.requests ?? [];
  if (requests.length === 0) throw invalidRequest(['BatchEmbedContentsRequest.requests: requests is not specified']);
  if (requests.length > MAX_BATCH) {
    throw invalidRequest([`BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests can be in one batch`]);
  }
  const expected = `models/${model.id}`;
  const problems = requests.flatMap((request, i) => {
    const at = `BatchEmbedContentsRequest.requests[${i}]`;
    const own: string[] = [];
    if (!request.model) own.push(`${at}.model: model is not specified`);
    else if (!request.model.startsWith('models/')) own.push(`${at}.model: unexpected model name format`);
    else if (request.model !== expected) {
      own.push(
        `${at}.model: the model of each request must be the model of the batch (${expected}), got ${request.model}`,
      );
    }
    return [...own, ...embedProblems(request, at, model)];
  });
  if (problems.length > 0) throw invalidRequest(problems);
  return requests;
}

function embedProblems(request: EmbedContentRequest, at: string, model: ModelEntry): string[] {
  const problems: string[] = [];
  const parts = request.content?.parts ?? [];
  if (!request.content) problems.push(`${at}.content: content is not specified`);
  else if (parts.length === 0) problems.push(`${at}.content.parts: contents.parts must not be empty.`);
  parts.forEach((part, j) => {
    if (part.text === undefined)
      problems.push(`${at}.content.parts[${j}]: only text parts can be embedded by models/${model.id}`);
  });
  const max = model.traits.embeddingDimensions ?? 0;
  const dims = request.outputDimensionality;
  if (dims !== undefined && dims !== 0 && (dims < 1 || dims > max)) {
    problems.push(`${at}.output_dimensionality: output_dimensionality must be in the range [1, ${max}].`);
  }
  return problems;
}
