import { GatewayError } from '../../errors';
import type { GeminiFunctionCallingMode, GeminiToolConfig } from '../../gemini/gemini-types';
import type { ChatToolChoice } from './chat-request-schema';

/** OpenAI `tool_choice` strings → Gemini `functionCallingConfig.mode`. */
export const TOOL_CHOICE_MODES = {
  auto: 'AUTO',
  none: 'NONE',
  required: 'ANY',
} as const satisfies Record<'auto' | 'none' | 'required', GeminiFunctionCallingMode>;

export interface MappedToolChoice {
  toolConfig: GeminiToolConfig;
  /** For `allowed_tools` in auto mode: Gemini can restrict names only in ANY mode, so the declarations are filtered instead. */
  onlyFunctions?: readonly string[];
}

/**
 * `tool_choice` → `toolConfig`. A named function is `ANY` + `allowedFunctionNames`, which forces a call to
 * exactly that function, as OpenAI does. `declared` are the function names of `tools`.
 */
export function toGeminiToolConfig(choice: ChatToolChoice, declared: readonly string[]): MappedToolChoice {
  if (typeof choice === 'string') {
    if (choice !== 'none' && declared.length === 0) {
      throw new GatewayError(400, `tool_choice '${choice}' needs at least one function in 'tools'.`, {
        param: 'tool_choice',
      });
    }
    return { toolConfig: { functionCallingConfig: { mode: TOOL_CHOICE_MODES[choice] } } };
  }
  if (choice.type === 'function') {
    assertDeclared(choice.function.name, declared, 'tool_choice.function.name');
    return { toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } } };
  }
  const names = choice.allowed_tools.tools.map((tool, index) =>
    assertDeclared(tool.function.name, declared, `tool_choice.allowed_tools.tools[${index}].function.name`),
  );
  if (choice.allowed_tools.mode === 'required') {
    return { toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: names } } };
  }
  return { toolConfig: { functionCallingConfig: { mode: 'AUTO' } }, onlyFunctions: names };
}

function assertDeclared(name: string, declared: readonly string[], param: string): string {
  if (!declared.includes(name)) {
    throw new GatewayError(400, `Invalid value for '${param}': no function named '${name}' in 'tools'.`, { param });
  }
  return name;
}
