import type { SchemaBudget } from './create-schema-budget';
import type { GeminiFunctionDeclaration } from './gemini-types';
import { toGeminiSchema } from './to-gemini-schema';

/** A function tool as every client protocol describes it: a name, maybe a description, a JSON Schema. */
export interface FunctionTool {
  name: string;
  description?: string | null | undefined;
  parameters?: unknown;
}

/**
 * A client's function tool → Gemini's `functionDeclaration`. The parameters go through the schema conversion
 * (`param` names them in errors; `budget` is the request's, see create-schema-budget.ts). An object schema
 * without properties is left out, because Gemini refuses an OBJECT with no properties in a function
 * declaration and means "no arguments" by an absent `parameters`.
 */
export function toGeminiFunctionDeclaration(
  tool: FunctionTool,
  param: string,
  budget: SchemaBudget,
): GeminiFunctionDeclaration {
  const declaration: GeminiFunctionDeclaration = { name: tool.name };
  if (tool.description) declaration.description = tool.description;
  if (tool.parameters) {
    const schema = toGeminiSchema(tool.parameters, param, budget);
    if (schema.type !== 'object' || Object.keys(schema.properties ?? {}).length > 0) declaration.parameters = schema;
  }
  return declaration;
}
