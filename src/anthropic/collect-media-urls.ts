import type { MediaUrl } from '../media/fetch-media-urls';
import type { AnthropicMessage, ContentBlock } from './messages-request-schema';

/** The `url` sources of image and document blocks (tool results included), each URL once, with its field. */
export function collectMediaUrls(messages: readonly AnthropicMessage[]): MediaUrl[] {
  const found = new Map<string, string>();
  const visit = (block: { type: string; source?: unknown }, param: string) => {
    const source = block.source as { type?: unknown; url?: unknown } | undefined;
    if (
      (block.type === 'image' || block.type === 'document') &&
      source?.type === 'url' &&
      typeof source.url === 'string' &&
      !found.has(source.url)
    ) {
      found.set(source.url, `${param}.source.url`);
    }
  };
  messages.forEach((message, m) => {
    if (message.role !== 'user' || typeof message.content === 'string') return;
    message.content.forEach((block: ContentBlock, b) => {
      const param = `messages[${m}].content[${b}]`;
      visit(block, param);
      if (block.type === 'tool_result' && Array.isArray(block.content)) {
        for (const [i, item] of block.content.entries()) visit(item, `${param}.content[${i}]`);
      }
    });
  });
  return [...found].map(([url, param]) => ({ url, param }));
}
