/**
 * The start of an upstream body as text: at most `maxBytes` are read, then the rest is cancelled (the
 * connection released). For bodies only looked into — error bodies, key checks — which a broken relay could
 * make endless. A body cut off mid-way keeps what arrived.
 */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      text += decoder.decode(value, { stream: true });
      if (size >= maxBytes) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // A body cut off mid-way still tells us the status; keep what arrived.
  }
  return text + decoder.decode();
}
