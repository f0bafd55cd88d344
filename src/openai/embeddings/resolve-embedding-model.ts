/**
 * Which Gemini model serves an OpenAI embeddings model name. OpenAI's names (and any other unknown name) go
 * to `gemini-embedding-001`, Gemini's current text embedding model (still served on 2026-12-01, when
 * `text-embedding-004` and `embedding-001` had long been shut down); `MODEL_MAP` may override any name.
 */

export const DEFAULT_EMBEDDING_MODEL = 'gemini-embedding-001';

/** Gemini's own embedding model families, used as they are (`text-embedding-004`, `embedding-001` …). */
const NATIVE_PREFIXES = ['gemini-', 'text-embedding-0', 'embedding-'] as const;

export function resolveEmbeddingModel(requested: string, overrides: ReadonlyMap<string, string>): string {
  const override = overrides.get(requested);
  if (override !== undefined) return override;
  if (requested.startsWith('models/')) return requested.slice('models/'.length);
  if (NATIVE_PREFIXES.some((prefix) => requested.startsWith(prefix))) return requested;
  return DEFAULT_EMBEDDING_MODEL;
}
