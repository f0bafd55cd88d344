import { type ContentMemo, deepFreeze } from '../http/content-memo';
import type { SchemaBudget } from './create-schema-budget';
import type { GeminiTool } from './gemini-types';

interface Remembered<T> {
  converted: T;
  /** What the conversion took from the schema budget: every request that reuses it is charged the same. */
  spent: number;
}

/**
 * A surface's tool conversion (`convert`, pure: the client's tools and tool choice in, Gemini's tools out),
 * done once per distinct `input` — everything `convert` reads besides the budget — and remembered by the
 * instance's memo: a coding agent sends the same tools on every turn. What it makes is frozen, and the tools'
 * JSON recorded, so the request body splices it in (generate-content-request.ts) instead of serialising them
 * again. Each request is still charged what the conversion spent; one that cannot afford it converts again,
 * which refuses it with the conversion's own error. A conversion that throws is never remembered.
 */
export function recallGeminiTools<T extends { tools?: GeminiTool[] }>(
  memo: ContentMemo | undefined,
  kind: string,
  input: unknown,
  budget: SchemaBudget,
  convert: (budget: SchemaBudget) => T,
): T {
  if (!memo) return convert(budget);
  let fresh = false;
  const remembered = memo.recall(
    kind,
    input,
    (): Remembered<T> => {
      fresh = true;
      const before = budget.left;
      const converted = convert(budget);
      deepFreeze(converted);
      if (converted.tools) memo.recordJson(converted.tools, JSON.stringify(converted.tools));
      return { converted, spent: before - budget.left };
    },
    ({ converted }) => (converted.tools ? (memo.jsonOf(converted.tools)?.length ?? 0) : 0),
  );
  if (fresh) return remembered.converted;
  if (remembered.spent > budget.left) return convert(budget);
  budget.left -= remembered.spent;
  return remembered.converted;
}
