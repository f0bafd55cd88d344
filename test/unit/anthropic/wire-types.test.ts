import type { MessageCreateParamsBase as BetaMessageCreateParamsBase } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type {
  CitationsWebSearchResultLocation,
  ImageBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageTokensCount,
  RedactedThinkingBlockParam,
  ServerToolUsage,
  ServerToolUseBlock,
  ServerToolUseBlockParam,
  StopReason,
  TextBlock,
  TextBlockParam,
  ThinkingBlock,
  ThinkingBlockParam,
  ToolUseBlock,
  ToolUseBlockParam,
  Usage,
  WebSearchResultBlock,
  WebSearchToolResultBlock,
  WebSearchToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type { AnthropicContentBlock, AnthropicMessageResponse } from '../../../src/anthropic/anthropic-types';
import type { AnthropicUsage } from '../../../src/anthropic/from-gemini-usage';
import type { AnthropicStopReason } from '../../../src/anthropic/map-stop-reason';
import type { messagesRequestSchema } from '../../../src/anthropic/messages-request-schema';

/**
 * The Anthropic surface's wire types against the official `@anthropic-ai/sdk`'s, checked by `tsc` (part of
 * `npm test`): a key of ours the SDK does not know is a misspelling on the wire.
 */
type Unknown<Ours, Theirs> = Exclude<keyof Ours, keyof Theirs>;
type Block<T extends AnthropicContentBlock['type']> = Extract<AnthropicContentBlock, { type: T }>;
type RequestBlock = Exclude<z.input<typeof messagesRequestSchema>['messages'][number]['content'], string>[number];

describe('Anthropic wire types agree with @anthropic-ai/sdk', () => {
  it('a message we answer has only the SDK’s fields', () => {
    expectTypeOf<Unknown<AnthropicMessageResponse, Message>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<AnthropicUsage, Usage>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<Block<'text'>, TextBlock>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<Block<'thinking'>, ThinkingBlock>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<Block<'tool_use'>, ToolUseBlock>>().toEqualTypeOf<never>();
    expectTypeOf<Unknown<Block<'server_tool_use'>, ServerToolUseBlock>>().toEqualTypeOf<never>();
    expectTypeOf<Block<'server_tool_use'>['name']>().toExtend<ServerToolUseBlock['name']>();
    expectTypeOf<Unknown<Block<'web_search_tool_result'>, WebSearchToolResultBlock>>().toEqualTypeOf<never>();
    expectTypeOf<Block<'web_search_tool_result'>['content'][number]>().toExtend<WebSearchResultBlock>();
    expectTypeOf<NonNullable<Block<'text'>['citations']>[number]>().toExtend<CitationsWebSearchResultLocation>();
    expectTypeOf<NonNullable<AnthropicUsage['server_tool_use']>>().toExtend<
      Omit<ServerToolUsage, 'web_fetch_requests'>
    >();
    expectTypeOf<AnthropicStopReason>().toExtend<StopReason>();
    expectTypeOf<{ input_tokens: number }>().toEqualTypeOf<MessageTokensCount>();
  });

  it('the request fields we accept are the SDK’s (stable or beta), plus the sampling fields it stopped typing', () => {
    type Ours = keyof z.input<typeof messagesRequestSchema>;
    expectTypeOf<Exclude<Ours, keyof MessageCreateParamsBase | keyof BetaMessageCreateParamsBase>>().toEqualTypeOf<
      'temperature' | 'top_p' | 'top_k'
    >();
  });

  it('the blocks the SDK builds are blocks we accept', () => {
    expectTypeOf<TextBlockParam>().toExtend<RequestBlock>();
    expectTypeOf<ImageBlockParam & { source: { type: 'base64' | 'url' } }>().toExtend<RequestBlock>();
    expectTypeOf<ToolUseBlockParam & { input: Record<string, unknown> }>().toExtend<RequestBlock>();
    expectTypeOf<ThinkingBlockParam>().toExtend<RequestBlock>();
    expectTypeOf<RedactedThinkingBlockParam>().toExtend<RequestBlock>();
    // An answer with web search, sent back as the SDK types it.
    expectTypeOf<ServerToolUseBlockParam>().toExtend<RequestBlock>();
    expectTypeOf<WebSearchToolResultBlockParam>().toExtend<RequestBlock>();
  });
});
