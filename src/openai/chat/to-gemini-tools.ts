import type { ChatTool, ChatToolChoice } from './chat-request-schema';
import { toGeminiSchema } from '../../gemini/to-gemini-schema';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from '../../gemini/gemini-types';
import { toGeminiToolConfig } from './to-gemini-tool-config';

export interface ConvertedTools {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
}

/**
 * OpenAI `tools` + `tool_choice` (+ `web_search_options`, which becomes Gemini's Google Search grounding)
 * → Gemini `tools` + `toolConfig`. Parameters go through the same schema conversion as response_format;
 * an object schema without properties is left out, because Gemini refuses an OBJECT with no properties in a
 * function declaration and means "no arguments" by an absent `parameters`.
 */
export function toGeminiTools(tools: readonly ChatTool[] | null | undefined, choice: ChatToolChoice | null | undefined, webSearch: boolean): ConvertedTools {
  let declarations = (tools ?? []).map((tool, t): GeminiFunctionDeclaration => {
    const { name, description, parameters } = tool.function;
    const declaration: GeminiFunctionDeclaration = { name };
    if (description) declaration.description = description;
    if (parameters) {
      const schema = toGeminiSchema(parameters, `tools[${t}].function.parameters`);
      if (schema.type !== 'object' || Object.keys(schema.properties ?? {}).length > 0) declaration.parameters = schema;
    }
    return declaration;
  });
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
