import type {
  Candidate,
  Content,
  FunctionCall,
  FunctionDeclaration,
  FunctionResponse,
  GenerateContentConfig,
  GenerateContentResponseUsageMetadata,
  GenerationConfig,
  ImageConfig,
  Part,
  SafetySetting,
  Schema,
  ThinkingConfig,
  Tool,
  ToolConfig,
} from '@google/genai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  GeminiContent,
  GeminiFunctionCall,
  GeminiFunctionDeclaration,
  GeminiFunctionResponse,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiImageConfig,
  GeminiInlineData,
  GeminiSchema,
  GeminiThinkingConfig,
  GeminiToolConfig,
} from '../../../src/gemini/gemini-types';
import type { GeminiCandidate, GeminiResponsePart, GeminiUsage } from '../../../src/gemini/read-gemini-response';
import type {
  OpenAIChatCompletion,
  OpenAIChatCompletionChunk,
  OpenAIToolCall,
  OpenAIUsage,
} from '../../../src/openai/openai-types';

/**
 * The project's own wire types against the official SDKs' where they overlap: checked by `tsc` (part of
 * `npm test`), so a field misspelled or mistyped in our types fails the build. Keys of ours that the SDK
 * does not know are the bugs these catch; the SDKs' optional fields we never send are fine.
 */

/** Our keys that the SDK's type does not have: must be none. */
type Unknown<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;

describe('Gemini wire types agree with @google/genai', () => {
  it('request side: every field we send exists upstream', () => {
    // The SDK nests everything but `contents` and `generationConfig` under `config`; the wire has them on top.
    type TopLevel = Omit<GeminiGenerateContentRequest, 'contents' | 'generationConfig'>;
    expectTypeOf<Unknown<TopLevel, GenerateContentConfig>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiContent, Content>>().toEqualTypeOf<never>();
    // The SDK keeps `imageConfig` on its config object and moves it into generationConfig on the wire.
    expectTypeOf<Unknown<GeminiGenerationConfig, GenerationConfig>>().toEqualTypeOf<'imageConfig'>();
    expectTypeOf<'imageConfig'>().toExtend<keyof GenerateContentConfig>();
    expectTypeOf<Unknown<GeminiThinkingConfig, ThinkingConfig>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiToolConfig, ToolConfig>>().toEqualTypeOf<never>();
    expectTypeOf<
      Unknown<GeminiToolConfig['functionCallingConfig'], NonNullable<ToolConfig['functionCallingConfig']>>
    >().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiImageConfig, ImageConfig>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiFunctionDeclaration, FunctionDeclaration>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiSchema, Schema>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiFunctionCall, FunctionCall>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiFunctionResponse, FunctionResponse>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<GeminiInlineData, NonNullable<Part['inlineData']>>>().toEqualTypeOf<never>();
    expectTypeOf<GeminiFunctionCall['args']>().toExtend<NonNullable<FunctionCall['args']>>();
    expectTypeOf<GeminiFunctionResponse['response']>().toExtend<NonNullable<FunctionResponse['response']>>();
  });

  it('every kind of part we build is a Part', () => {
    type OurPartKeys = GeminiContent['parts'][number] extends infer P ? (P extends unknown ? keyof P : never) : never;
    expectTypeOf<Exclude<OurPartKeys, keyof Part>>().toEqualTypeOf<never>();
    expectTypeOf<'googleSearch' | 'functionDeclarations'>().toExtend<keyof Tool>();
  });

  it('response side: every field we read exists upstream', () => {
    expectTypeOf<Exclude<keyof GeminiResponsePart, keyof Part>>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<keyof GeminiUsage, keyof GenerateContentResponseUsageMetadata>>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<Exclude<keyof GeminiCandidate, 'parts'>, keyof Candidate>>().toEqualTypeOf<never>();
    expectTypeOf<SafetySetting['category']>().not.toBeNever();
  });
});

describe('OpenAI wire types agree with the openai SDK', () => {
  it('a chat completion we build is a ChatCompletion', () => {
    expectTypeOf<OpenAIChatCompletion>().toExtend<ChatCompletion>();
    expectTypeOf<OpenAIUsage>().toExtend<CompletionUsage>();
    expectTypeOf<OpenAIToolCall>().toExtend<ChatCompletionMessageFunctionToolCall>();
  });

  it('a chunk we stream is a ChatCompletionChunk', () => {
    expectTypeOf<OpenAIChatCompletionChunk>().toExtend<ChatCompletionChunk>();
  });

  it('our only additions are the documented ones', () => {
    type Message = OpenAIChatCompletion['choices'][number]['message'];
    expectTypeOf<Exclude<keyof Message, keyof ChatCompletion.Choice['message']>>().toEqualTypeOf<'reasoning_content'>();
    type Delta = OpenAIChatCompletionChunk['choices'][number]['delta'];
    // The SDK's delta type has no `annotations`; OpenAI's search models stream them in a delta all the same.
    expectTypeOf<Exclude<keyof Delta, keyof ChatCompletionChunk.Choice['delta']>>().toEqualTypeOf<
      'reasoning_content' | 'annotations'
    >();
  });
});
