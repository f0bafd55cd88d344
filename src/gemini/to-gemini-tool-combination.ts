import { GatewayError } from '../errors';
import { modelCapabilities } from './model-capabilities';

/**
 * Gemini's rule for a request with both a built-in tool (Google Search) and function declarations: refused
 * unless `toolConfig.includeServerSideToolInvocations` is set, which only Gemini 3 text models accept
 * (https://ai.google.dev/gemini-api/docs/tool-combination; older models answer "Tool call context circulation
 * is not enabled"). Returns the switch to merge into the request's toolConfig, nothing when the request
 * does not combine them, or a 400 naming the client's search field where the model cannot.
 */
export function toGeminiToolCombination(
  model: string,
  hasFunctions: boolean,
  hasBuiltIn: boolean,
  param: string,
): { includeServerSideToolInvocations: true } | undefined {
  if (!hasFunctions || !hasBuiltIn) return undefined;
  if (modelCapabilities(model).toolCombination) return { includeServerSideToolInvocations: true };
  throw new GatewayError(
    400,
    `Gemini model '${model}' cannot use Google Search (or another built-in tool) together with function tools in one request: use a Gemini 3 text model, or leave out one of the two.`,
    { param },
  );
}
