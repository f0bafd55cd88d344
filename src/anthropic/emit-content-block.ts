import type { AnthropicContentBlock } from './anthropic-types';

export type EmitEvent = (type: string, data: object) => void;

/**
 * A whole content block → its stream events (https://docs.anthropic.com/en/docs/build-with-claude/streaming),
 * as the SDK's MessageStream assembles them back into that very block: `content_block_start` with the block
 * emptied, the deltas that fill it, `content_block_stop`. Tool inputs arrive as one `input_json_delta`,
 * citations as one `citations_delta` each before the text, a thinking block's signature as the
 * `signature_delta` before its stop; a search result block has no delta and starts whole.
 */
export function emitContentBlock(block: AnthropicContentBlock, index: number, emit: EmitEvent): void {
  const delta = (value: object) => emit('content_block_delta', { index, delta: value });
  switch (block.type) {
    case 'thinking':
      emit('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      if (block.thinking !== '') delta({ type: 'thinking_delta', thinking: block.thinking });
      if (block.signature) delta({ type: 'signature_delta', signature: block.signature });
      break;
    case 'text':
      emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const citation of block.citations ?? []) delta({ type: 'citations_delta', citation });
      if (block.text !== '') delta({ type: 'text_delta', text: block.text });
      break;
    case 'tool_use':
    case 'server_tool_use':
      emit('content_block_start', { index, content_block: { ...block, input: {} } });
      delta({ type: 'input_json_delta', partial_json: JSON.stringify(block.input) });
      break;
    case 'web_search_tool_result':
      emit('content_block_start', { index, content_block: block });
      break;
  }
  emit('content_block_stop', { index });
}
