/**
 * A 200 from generateContent that holds no answer — an empty body, a CDN's HTML page, or JSON with neither
 * candidates nor promptFeedback — is an upstream fault, not an empty answer: the next key retries it.
 * The check reads the body (generateContent's answer arrives whole anyway) but does not parse it: looking
 * for the two field names is enough to tell a real answer, and costs a fraction of a JSON.parse.
 */
export async function acceptGenerateResponse(response: Response): Promise<Response | null> {
  const text = await response.text();
  const start = text.trimStart();
  if (!start.startsWith('{') || !text.trimEnd().endsWith('}')) return null;
  if (!text.includes('"candidates"') && !text.includes('"promptFeedback"')) return null;
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}
