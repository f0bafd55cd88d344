/**
 * Validation of countTokens: either bare `contents` or a whole `generateContentRequest`, which — unlike
 * generateContent's body — must name its model (`models/{model}`), or the service refuses it.
 */
import { invalidRequest } from './errors';
import { type Content, countTokensRequestSchema, type GenerateContentRequest } from './gemini-request-schema';
import type { ModelEntry } from './models';
import { parseProto } from './proto-json';
import { checkContents, checkGenerateRequest } from './validate-generate-request';

export type CountTokensInput = { contents: Content[]; request?: GenerateContentRequest };

export function validateCountTokensRequest(body: unknown, model: ModelEntry): CountTokensInput {
  const parsed = parseProto(countTokensRequestSchema, body);
  if (!parsed.ok) throw parsed.error;
  const { contents, generateContentRequest } = parsed.value;
  if (contents?.length && generateContentRequest) {
    throw invalidRequest(['CountTokensRequest: only one of contents and generate_content_request may be set']);
  }
  if (generateContentRequest) {
    const prefix = 'CountTokensRequest.generate_content_request';
    if (!/^models\/[^/]+$/.test(generateContentRequest.model ?? '')) {
      throw invalidRequest([`${prefix}.model: unexpected model name format`]);
    }
    checkGenerateRequest(generateContentRequest, { model, prefix, signatures: null });
    return { contents: generateContentRequest.contents ?? [], request: generateContentRequest };
  }
  if (!contents?.length) throw invalidRequest(['CountTokensRequest.contents: contents is not specified']);
  checkContents(contents, 'CountTokensRequest');
  return { contents };
}
