import type { MediaUrl } from '../../media/fetch-media-urls';
import type { ChatMessage } from './chat-request-schema';

/** The https URLs in user messages' `image_url` and `file.file_data` parts (data URLs are inline already). */
export function collectMediaUrls(messages: readonly ChatMessage[]): MediaUrl[] {
  // Made only for a history with content parts: most requests are text and link nothing.
  let found: Map<string, string> | undefined;
  for (let m = 0; m < messages.length; m++) {
    const message = messages[m] as ChatMessage;
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    found ??= new Map();
    for (let p = 0; p < message.content.length; p++) {
      const part = message.content[p] as (typeof message.content)[number];
      if (part.type === 'image_url') {
        const url = typeof part.image_url === 'string' ? part.image_url : part.image_url.url;
        const param = `messages[${m}].content[${p}].image_url${typeof part.image_url === 'string' ? '' : '.url'}`;
        if (!url.startsWith('data:') && !found.has(url)) found.set(url, param);
      } else if (part.type === 'file' && part.file.file_data && /^https?:\/\//i.test(part.file.file_data)) {
        if (!found.has(part.file.file_data))
          found.set(part.file.file_data, `messages[${m}].content[${p}].file.file_data`);
      }
    }
  }
  return found ? [...found].map(([url, param]) => ({ url, param })) : [];
}
