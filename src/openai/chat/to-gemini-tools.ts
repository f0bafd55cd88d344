import type { SchemaBudget } from '../../gemini/create-schema-budget';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from '../../gemini/gemini-types';
import { toGeminiFunctionDeclaration } from '../../gemini/to-gemini-function-declaration';
import type { ChatTool, ChatToolChoice } from './chat-request-schema';
import { toGeminiToolConfig } from './to-gemini-tool-config';

export interface ConvertedTools {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
}

/**
 * OpenAI `tools` + `tool_choice` (+ `web_search_options`, which becomes Gemini's Google Search grounding)
 * → Gemini `tools` + `toolConfig`; each function becomes a declaration as every surface makes it
 * (toGeminiFunctionDeclaration). All schemas spend one `budget`.
 */
export function toGeminiTools(
  tools: readonly ChatTool[] | null | undefined,
  choice: ChatToolChoice | null | undefined,
  webSearch: boolean,
  budget: SchemaBudget,
): ConvertedTools {
  // A loop, not `map`: the array `map` makes once optimized had another map than the one the unoptimized
  // code saw, and reading it deoptimized toGeminiRequest (--trace-deopt on the bench's chat request).
  let declarations: GeminiFunctionDeclaration[] = [];
  if (tools)
    for (let t = 0; t < tools.length; t++)
      declarations.push(
        toGeminiFunctionDeclaration((tools[t] as ChatTool).function, `tools[${t}].function.parameters`, budget),
      );
  const result: ConvertedTools = {};
  if (choice != null) {
    const mapped = toGeminiToolConfig(
      choice,
      declarations.map((declaration) => declaration.name),
    );
    // tool_choice 'none' with no tools needs no config at all.
    if (declarations.length > 0) result.toolConfig = mapped.toolConfig;
    const only = mapped.onlyFunctions;
    if (only) declarations = declarations.filter((declaration) => only.includes(declaration.name));
  }
  const geminiTools: GeminiTool[] = [];
  if (declarations.length > 0) geminiTools.push({ functionDeclarations: declarations });
  if (webSearch) geminiTools.push({ googleSearch: {} });
  if (geminiTools.length > 0) result.tools = geminiTools;
  return result;
}
