import type { GeminiLogprobsCandidate, GeminiLogprobsResult } from '../../gemini/read-gemini-response';
import type { OpenAILogprobs } from '../openai-types';

const encoder = new TextEncoder();

/**
 * Gemini `logprobsResult` → OpenAI `logprobs.content`: `chosenCandidates[i]` is the token generated at step
 * i and `topCandidates[i]` its alternatives. Null when Gemini sent none.
 */
export function fromGeminiLogprobs(result: GeminiLogprobsResult | undefined): OpenAILogprobs | null {
  if (!result) return null;
  const entry = (candidate: GeminiLogprobsCandidate) => {
    const token = candidate.token ?? '';
    return { token, logprob: candidate.logProbability ?? 0, bytes: Array.from(encoder.encode(token)) };
  };
  return {
    content: result.chosenCandidates.map((candidate, i) => ({
      ...entry(candidate),
      top_logprobs: (result.topCandidates[i]?.candidates ?? []).map(entry),
    })),
    refusal: null,
  };
}
