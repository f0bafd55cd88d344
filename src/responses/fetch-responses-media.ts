import type { RequestContext } from '../context';
import { fetchMediaUrls, type MediaMap, type MediaUrl } from '../media/fetch-media-urls';
import type { ResponsesInputItem, ResponsesToolOutputPart } from './responses-request-schema';

/**
 * Downloads the https URLs of a Responses input (`input_image.image_url`, `input_file.file_url`, in messages
 * and tool outputs) through the shared, SSRF-guarded media fetch, so the pure converter can inline them.
 */
export async function fetchResponsesMedia(
  input: string | readonly ResponsesInputItem[] | undefined,
  ctx: RequestContext,
): Promise<MediaMap> {
  if (typeof input !== 'object') return new Map();
  const found = new Map<string, string>();
  const visit = (parts: readonly ResponsesToolOutputPart[] | readonly { type: string }[], param: string) => {
    parts.forEach((part, p) => {
      const at = `${param}[${p}]`;
      if ('image_url' in part && typeof part.image_url === 'string') add(part.image_url, `${at}.image_url`);
      if ('file_url' in part && typeof part.file_url === 'string') add(part.file_url, `${at}.file_url`);
    });
  };
  const add = (url: string, param: string) => {
    if (/^https?:\/\//i.test(url) && !found.has(url)) found.set(url, param);
  };
  input.forEach((item, i) => {
    if (item.type === 'message' && typeof item.content !== 'string') visit(item.content, `input[${i}].content`);
    if (
      (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') &&
      typeof item.output !== 'string'
    )
      visit(item.output, `input[${i}].output`);
  });
  const urls: MediaUrl[] = [...found].map(([url, param]) => ({ url, param }));
  return fetchMediaUrls(urls, ctx);
}
