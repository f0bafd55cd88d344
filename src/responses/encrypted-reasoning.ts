import { isValidBase64 } from '../media/normalize-base64';

/**
 * A reasoning item's `encrypted_content` is where this stateless gateway keeps a Gemini thought signature
 * between turns: Gemini 3 refuses a history whose function calls lost the signature it issued
 * (https://ai.google.dev/gemini-api/docs/thought-signatures), and Responses clients running with
 * `store: false` (Codex) send every reasoning item back, opaque, with `include: ["reasoning.encrypted_content"]`.
 * The signature belongs to the part that follows the reasoning item (a function call). The prefix tells our
 * content from OpenAI's own (a conversation that began on OpenAI), which is not a Gemini signature.
 */
const PREFIX = 'gemini-thought-signature:v1:';

export function encodeEncryptedReasoning(signature: string): string {
  return PREFIX + signature;
}

/** The signature kept in `encrypted_content`, or undefined for content this gateway did not write. */
export function decodeEncryptedReasoning(content: string | null | undefined): string | undefined {
  if (!content?.startsWith(PREFIX)) return undefined;
  const signature = content.slice(PREFIX.length);
  // Gemini answers 400 "Base64 decoding failed" to a mangled signature; a missing one gets Google's dummy.
  return signature !== '' && isValidBase64(signature) ? signature : undefined;
}
