/**
 * Gemini 3 thought signatures: the model signs the first functionCall part of each reply, and the next request
 * must carry that signature back unchanged in the history (https://ai.google.dev/gemini-api/docs/thought-signatures).
 * The fake remembers what it issued, so a gateway that drops, rewrites or invents signatures is caught.
 */
import { randomBytes } from 'node:crypto';
import { type GoogleApiError, invalidArgument } from './errors';
import type { Content } from './gemini-request-schema';
import type { GeminiResponseJSON } from './types';

/** Google's documented value for history that never had a signature (e.g. from another model). */
export const DUMMY_SIGNATURE = 'skip_thought_signature_validator';

export class SignatureRegistry {
  private readonly issued = new Set<string>();

  issue(): string {
    const signature = randomBytes(48).toString('base64');
    this.issued.add(signature);
    return signature;
  }

  /** Signatures in scripted replies count as issued: the test played the model. */
  remember(signature: string): void {
    this.issued.add(signature);
  }

  accepts(signature: string): boolean {
    return signature === DUMMY_SIGNATURE || this.issued.has(signature);
  }

  /**
   * Signs, per candidate, the first functionCall part of the whole reply when it has no signature (Gemini 3
   * signs only the first of parallel calls), and remembers every signature sent, so that whatever the fake
   * answers can be sent back by a correct gateway.
   */
  signChunks(chunks: readonly GeminiResponseJSON[], requireSignatures: boolean): GeminiResponseJSON[] {
    const seenCall = new Set<number>();
    return chunks.map((chunk) => {
      if (!chunk.candidates) return chunk;
      const candidates = chunk.candidates.map((candidate, position) => {
        const parts = candidate.content?.parts;
        if (!parts) return candidate;
        const index = candidate.index ?? position;
        const signed = parts.map((part) => {
          if (part.functionCall === undefined || seenCall.has(index)) return part;
          seenCall.add(index);
          return requireSignatures && part.thoughtSignature === undefined
            ? { ...part, thoughtSignature: this.issue() }
            : part;
        });
        for (const part of signed) if (typeof part.thoughtSignature === 'string') this.remember(part.thoughtSignature);
        return { ...candidate, content: { ...candidate.content, parts: signed } };
      });
      return { ...chunk, candidates };
    });
  }
}

/**
 * Only the current turn is validated: the model turns after the last user message that is not a function
 * response. In each, the first functionCall part must carry a signature the fake issued (or the dummy).
 */
export function checkSignatures(contents: readonly Content[], registry: SignatureRegistry): GoogleApiError | undefined {
  let start = 0;
  contents.forEach((content, i) => {
    const isUser = (content.role ?? 'user') === 'user';
    if (isUser && (content.parts ?? []).some((p) => p.functionResponse === undefined)) start = i + 1;
  });
  for (let i = start; i < contents.length; i++) {
    const content = contents[i];
    if (content?.role !== 'model') continue;
    const firstCall = (content.parts ?? []).find((p) => p.functionCall !== undefined);
    if (!firstCall) continue;
    const signature = firstCall.thoughtSignature;
    if (signature === undefined) {
      // "position" counts contents from 1, matching the `position 2` the service reports for the first model turn.
      return invalidArgument(
        'Function call is missing a thought_signature in functionCall parts. This is required for tools to work ' +
          'correctly, and missing thought_signature may lead to degraded model performance. Additional data, ' +
          `function call \`default_api:${firstCall.functionCall?.name ?? ''}\` , position ${i + 1}. Please refer to ` +
          'https://ai.google.dev/gemini-api/docs/thought-signatures for more details.',
      );
    }
    if (!registry.accepts(signature)) return invalidArgument('Corrupted thought signature.');
  }
  return undefined;
}
