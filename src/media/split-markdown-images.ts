/**
 * The Markdown data-URL images a chat reply carried (`![image](data:image/png;base64,…)`, how the OpenAI
 * surface shows images Gemini generated) back into image parts, when a client sends the reply as history:
 * the model then sees its own image — "now make it blue" works — instead of megabytes of base64 as text,
 * which would cost hundreds of thousands of tokens. Text around the images stays text, in order.
 */

export type TextOrImage = { text: string } | { inlineData: { mimeType: string; data: string } };

// One pass, no backtracking across the payload: the alt text stops at `]`, the data at the first non-base64 byte.
const MARKDOWN_IMAGE = /!\[[^\]\n]{0,200}\]\(data:(image\/[a-z0-9.+-]{1,40});base64,([A-Za-z0-9+/]+={0,2})\)/g;

export function splitMarkdownImages(text: string): TextOrImage[] {
  if (!text.includes('](data:image/')) return [{ text }];
  const out: TextOrImage[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKDOWN_IMAGE)) {
    const [whole, mimeType, data] = match as unknown as [string, string, string];
    // Base64 whose length no decoder accepts is left as the text it is.
    if (data.replace(/=+$/, '').length % 4 === 1) continue;
    if (match.index > last) out.push({ text: text.slice(last, match.index) });
    out.push({ inlineData: { mimeType, data } });
    last = match.index + whole.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out.length > 0 ? out : [{ text }];
}
