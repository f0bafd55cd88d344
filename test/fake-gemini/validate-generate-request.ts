/**
 * Strict validation of GenerateContentRequest: first the proto-JSON structure (gemini-request-schema.ts), then
 * the rules the service applies to the parsed request, with its wording. A gateway that builds a request the
 * real service would refuse gets the same 400 here.
 */
import { invalidArgument, invalidRequest } from './errors';
import {
  type Content,
  type GenerateContentRequest,
  type GenerationConfig,
  generateContentRequestSchema,
  type Part,
  type Tool,
} from './gemini-request-schema';
import type { ModelEntry } from './models';
import { parseProto } from './proto-json';
import { checkSignatures, type SignatureRegistry } from './thought-signatures';

export interface GenerateValidationContext {
  model: ModelEntry;
  /** `GenerateContentRequest` or `CountTokensRequest.generate_content_request`: how messages name the field. */
  prefix: string;
  /** Null for countTokens, which does not check signatures. */
  signatures: SignatureRegistry | null;
}

const DATA_FIELDS = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
] as const;

const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;
const MIME_TYPES = ['text/plain', 'application/json', 'text/x.enum'];
const ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'];
const IMAGE_SIZES = ['1K', '2K', '4K'];
const GEMINI_CATEGORIES = new Set<string>([
  'HARM_CATEGORY_HARASSMENT',
  'HARM_CATEGORY_HATE_SPEECH',
  'HARM_CATEGORY_SEXUALLY_EXPLICIT',
  'HARM_CATEGORY_DANGEROUS_CONTENT',
  'HARM_CATEGORY_CIVIC_INTEGRITY',
]);

/** Parses and checks a request body; throws GoogleApiError with the service's status and message. */
export function validateGenerateRequest(body: unknown, ctx: GenerateValidationContext): GenerateContentRequest {
  const parsed = parseProto(generateContentRequestSchema, body);
  if (!parsed.ok) throw parsed.error;
  checkGenerateRequest(parsed.value, ctx);
  return parsed.value;
}

/** The rules on an already parsed request (countTokens parses its nested request itself). */
export function checkGenerateRequest(request: GenerateContentRequest, ctx: GenerateValidationContext): void {
  const contents = request.contents ?? [];
  if (contents.length === 0) throw invalidRequest([`${ctx.prefix}.contents: contents is not specified`]);
  checkContents(contents, ctx.prefix);
  checkRequestRules(request, ctx);
  if (ctx.signatures && ctx.model.traits.requiresThoughtSignatures) {
    const error = checkSignatures(contents, ctx.signatures);
    if (error) throw error;
  }
}

/** The rules on `contents` alone; countTokens applies these to its bare `contents` too. */
export function checkContents(contents: readonly Content[], prefix: string): void {
  for (const content of contents) {
    if (content.role !== undefined && content.role !== '' && content.role !== 'user' && content.role !== 'model') {
      throw invalidArgument('Please use a valid role: user, model.');
    }
  }
  const problems: string[] = [];
  for (const [i, content] of contents.entries()) problems.push(...partProblems(content, `${prefix}.contents[${i}]`));
  if (problems.length > 0) throw invalidRequest(problems);
  checkTurnOrder(contents);
}

function partProblems(content: Content, at: string): string[] {
  const parts = content.parts ?? [];
  if (parts.length === 0) return [`${at}.parts: contents.parts must not be empty.`];
  return parts.flatMap((part, j) => onePartProblems(part, `${at}.parts[${j}]`));
}

function onePartProblems(part: Part, at: string): string[] {
  // An empty text sets nothing, except on the signature-only parts Gemini 3 itself returns at stream end.
  const present = DATA_FIELDS.filter((field) =>
    field === 'text'
      ? part.text !== undefined && (part.text !== '' || part.thoughtSignature !== undefined)
      : part[field] !== undefined,
  );
  if (present.length === 0) return [`${at}.data: required oneof field 'data' must have one initialized field`];
  if (present.length > 1) {
    throw invalidArgument(
      `Invalid JSON payload received. Oneof field 'data' is already set. Cannot set '${present[1]}'`,
    );
  }
  const problems: string[] = [];
  if (part.inlineData) {
    if (!part.inlineData.mimeType) problems.push(`${at}.inline_data.mime_type: mime_type is not specified`);
    if (!part.inlineData.data) problems.push(`${at}.inline_data.data: data is not specified`);
  }
  if (part.fileData && !part.fileData.fileUri) problems.push(`${at}.file_data.file_uri: file_uri is not specified`);
  if (part.functionCall && !part.functionCall.name) problems.push(`${at}.function_call.name: Name cannot be empty.`);
  if (part.functionResponse && !part.functionResponse.name) {
    problems.push(`${at}.function_response.name: Name cannot be empty.`);
  }
  return problems;
}

/**
 * Function calls and responses must alternate the way the model produced them: a response turn right after
 * a call turn, with as many responses as calls and the names of those calls.
 */
function checkTurnOrder(contents: readonly Content[]): void {
  contents.forEach((content, i) => {
    const parts = content.parts ?? [];
    const previous = i > 0 ? contents[i - 1] : undefined;
    const previousParts = previous?.parts ?? [];
    const calls = previousParts.filter((p) => p.functionCall !== undefined);
    const responses = parts.filter((p) => p.functionResponse !== undefined);
    if (responses.length > 0) {
      const callNames = new Set(calls.map((p) => p.functionCall?.name));
      const follows = previous?.role === 'model' && calls.length > 0;
      if (!follows || responses.some((p) => !callNames.has(p.functionResponse?.name))) {
        throw invalidArgument(
          'Please ensure that function response turn comes immediately after a function call turn.',
        );
      }
      if (responses.length !== calls.length) {
        throw invalidArgument(
          'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
        );
      }
    }
    if (content.role === 'model' && parts.some((p) => p.functionCall !== undefined)) {
      const afterUser = previous !== undefined && (previous.role ?? 'user') === 'user';
      if (!afterUser) {
        throw invalidArgument(
          'Please ensure that function call turn comes immediately after a user turn or after a function response turn.',
        );
      }
    }
  });
}

function checkRequestRules(request: GenerateContentRequest, ctx: GenerateValidationContext): void {
  const p = ctx.prefix;
  const problems: string[] = [];
  if (request.systemInstruction && (request.systemInstruction.parts ?? []).length === 0) {
    problems.push(`${p}.system_instruction.parts: contents.parts must not be empty.`);
  }
  problems.push(...toolProblems(request.tools ?? [], p));
  const calling = request.toolConfig?.functionCallingConfig;
  if (calling?.allowedFunctionNames?.length && calling.mode !== 'ANY' && calling.mode !== 'VALIDATED') {
    problems.push(
      `${p}.tool_config.function_calling_config.allowed_function_names: allowed_function_names may only be set when mode is ANY or VALIDATED.`,
    );
  }
  (request.safetySettings ?? []).forEach((setting, i) => {
    if (setting.category !== undefined && !GEMINI_CATEGORIES.has(setting.category)) {
      problems.push(`${p}.safety_settings[${i}].category: ${setting.category} is not a valid category for this model.`);
    }
  });
  if (request.generationConfig) problems.push(...generationConfigProblems(request.generationConfig, ctx));
  if (problems.length > 0) throw invalidRequest(problems);
  checkModelFeatures(request, ctx.model);
  if (request.generationConfig) checkModelSupport(request.generationConfig, ctx.model);
}

function checkModelFeatures(request: GenerateContentRequest, model: ModelEntry): void {
  const name = `models/${model.id}`;
  if (request.systemInstruction && !model.traits.systemInstruction) {
    throw invalidArgument(`Developer instruction is not enabled for ${name}`);
  }
  const tools = request.tools ?? [];
  const declares = tools.some((t) => (t.functionDeclarations ?? []).length > 0);
  if (declares && !model.traits.tools) {
    throw invalidArgument(`Function calling is not enabled for ${name}`);
  }
  // Built-in tools and function calling share a request only with the tool-combination switch, which only
  // Gemini 3 text models take (https://ai.google.dev/gemini-api/docs/tool-combination; prism-php/prism#972).
  const combines = request.toolConfig?.includeServerSideToolInvocations === true;
  if (combines && !model.traits.toolCombination) {
    throw invalidArgument(`Tool call context circulation is not enabled for ${name}`);
  }
  const builtIn = tools.some(
    (t) =>
      t.googleSearch !== undefined ||
      t.googleSearchRetrieval !== undefined ||
      t.codeExecution !== undefined ||
      t.urlContext !== undefined,
  );
  if (builtIn && declares && !combines) {
    throw invalidArgument(
      'Please enable tool_config.include_server_side_tool_invocations to use Built-in tools with Function calling.',
    );
  }
  if (request.generationConfig?.responseMimeType === 'application/json' && !model.traits.jsonMode) {
    throw invalidArgument(`JSON mode is not enabled for ${name}`);
  }
}

function toolProblems(tools: readonly Tool[], p: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  tools.forEach((tool, i) => {
    (tool.functionDeclarations ?? []).forEach((fn, j) => {
      const at = `${p}.tools[${i}].function_declarations[${j}]`;
      const name = fn.name ?? '';
      if (!FUNCTION_NAME.test(name)) {
        problems.push(
          `${at}.name: Invalid function name. Must start with a letter or an underscore. Must be alphameric ` +
            '(a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.',
        );
      } else if (seen.has(name)) {
        problems.push(`${at}.name: Duplicate function declaration found: ${name}`);
      }
      seen.add(name);
      if (fn.parameters !== undefined && fn.parametersJsonSchema !== undefined) {
        problems.push(`${at}.parameters: parameters and parameters_json_schema cannot both be set.`);
      }
      if (fn.parametersJsonSchema !== undefined && !isJsonObject(fn.parametersJsonSchema)) {
        problems.push(`${at}.parameters_json_schema: must be a JSON object.`);
      }
    });
  });
  return problems;
}

function generationConfigProblems(config: GenerationConfig, ctx: GenerateValidationContext): string[] {
  const at = `${ctx.prefix}.generation_config`;
  const problems: string[] = [];
  const range = (field: string, value: number | undefined, min: number, max: number, text: string) => {
    if (value !== undefined && (value < min || value > max)) problems.push(`${at}.${field}: ${text}`);
  };
  range('temperature', config.temperature, 0, 2, 'temperature must be in the range [0.0, 2.0].');
  range('top_p', config.topP, 0, 1, 'top_p must be in the range [0.0, 1.0].');
  range('top_k', config.topK, 0, Number.MAX_SAFE_INTEGER, 'top_k must be positive.');
  range('candidate_count', config.candidateCount, 0, 8, 'candidate_count must be in the range [1, 8].');
  range('presence_penalty', config.presencePenalty, -2, 2, 'presence_penalty must be in the range [-2.0, 2.0].');
  range('frequency_penalty', config.frequencyPenalty, -2, 2, 'frequency_penalty must be in the range [-2.0, 2.0].');
  range('logprobs', config.logprobs, 0, 20, 'logprobs must be in the range [0, 20].');
  // 0 is proto3's "unset"; only a negative value or one above the model's limit is refused.
  const limit = ctx.model.resource.outputTokenLimit;
  if (config.maxOutputTokens !== undefined && (config.maxOutputTokens < 0 || config.maxOutputTokens > limit)) {
    problems.push(
      `${at}.max_output_tokens: Unable to submit request because it has a maxOutputTokens value of ` +
        `${config.maxOutputTokens} but the supported range is from 1 (inclusive) to ${limit + 1} (exclusive). Update the value and try again.`,
    );
  }
  if ((config.stopSequences ?? []).length > 5) {
    problems.push(`${at}.stop_sequences: the number of stop_sequences must not exceed 5.`);
  }
  const mime = config.responseMimeType;
  if (mime !== undefined && mime !== '' && !MIME_TYPES.includes(mime)) {
    problems.push(
      `${at}.response_mime_type: allowed mimetypes are \`text/plain\`, \`application/json\`, and \`text/x.enum\`.`,
    );
  }
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
    problems.push(`${at}.response_json_schema: response_json_schema and response_schema cannot both be set.`);
  }
  if (config.responseJsonSchema !== undefined && !isJsonObject(config.responseJsonSchema)) {
    problems.push(`${at}.response_json_schema: must be a JSON object.`);
  }
  if (
    (config.responseSchema !== undefined || config.responseJsonSchema !== undefined) &&
    mime !== 'application/json' &&
    mime !== 'text/x.enum'
  ) {
    problems.push(
      `${at}.response_mime_type: a response schema requires response_mime_type \`application/json\` or \`text/x.enum\`.`,
    );
  }
  // https://ai.google.dev/gemini-api/docs/image-generation#aspect_ratios_and_image_size: sizes take an upper-case K.
  const image = config.imageConfig;
  if (image?.aspectRatio !== undefined && !ASPECT_RATIOS.includes(image.aspectRatio)) {
    problems.push(
      `${at}.image_config.aspect_ratio: Unsupported aspect ratio: ${image.aspectRatio}. Supported values are ${ASPECT_RATIOS.join(', ')}.`,
    );
  }
  if (image?.imageSize !== undefined && !IMAGE_SIZES.includes(image.imageSize)) {
    problems.push(
      `${at}.image_config.image_size: Unsupported image size: ${image.imageSize}. Supported values are ${IMAGE_SIZES.join(', ')}.`,
    );
  }
  if (config.logprobs !== undefined && config.responseLogprobs !== true) {
    problems.push(`${at}.logprobs: logprobs may only be set when response_logprobs is true.`);
  }
  return problems;
}

/** Rules that depend on the model; the service answers these one at a time, without the `*` prefix. */
function checkModelSupport(config: GenerationConfig, model: ModelEntry): void {
  const name = `models/${model.id}`;
  const thinking = config.thinkingConfig;
  const traits = model.traits;
  if (thinking) {
    const level = thinking.thinkingLevel;
    const levelSet = level !== undefined && level !== 'THINKING_LEVEL_UNSPECIFIED';
    if (levelSet && thinking.thinkingBudget !== undefined) {
      throw invalidArgument('You can only set only one of thinking budget and thinking level.');
    }
    if (!traits.thinkingBudget) {
      if (levelSet || thinking.includeThoughts || (thinking.thinkingBudget ?? 0) !== 0) {
        throw invalidArgument(`Thinking is not enabled for ${name}`);
      }
    } else if (levelSet) {
      if (!traits.thinkingLevels) throw invalidArgument('Thinking level is not supported for this model.');
      if (!traits.thinkingLevels.includes(level))
        throw invalidArgument(
          `Thinking level ${level} is not supported for this model. Please retry with other thinking level.`,
        );
    } else if (thinking.thinkingBudget !== undefined && thinking.thinkingBudget !== -1) {
      const { min, max, canDisable } = traits.thinkingBudget;
      const budget = thinking.thinkingBudget;
      if (budget === 0 && !canDisable)
        throw invalidArgument('Budget 0 is invalid. This model only works in thinking mode.');
      if (budget !== 0 && (budget < min || budget > max)) {
        throw invalidArgument(
          `The thinking budget ${budget} is invalid. Please choose a value between ${min} and ${max}.`,
        );
      }
    }
  }
  if ((config.responseLogprobs || config.logprobs !== undefined) && !traits.logprobs) {
    throw invalidArgument(`Logprobs is not enabled for ${name}`);
  }
  const modalities = (config.responseModalities ?? []).filter((m) => m !== 'MODALITY_UNSPECIFIED');
  const unsupported = modalities.filter((m) => !traits.outputModalities.includes(m));
  if (unsupported.length > 0) {
    throw invalidArgument(
      `Model does not support the requested response modalities: ${unsupported.map((m) => m.toLowerCase()).join(',')}`,
    );
  }
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
