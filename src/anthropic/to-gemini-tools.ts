import { GatewayError } from '../errors';
import type { SchemaBudget } from '../gemini/create-schema-budget';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from '../gemini/gemini-types';
import { toGeminiFunctionDeclaration } from '../gemini/to-gemini-function-declaration';
import type { AnthropicTool, ToolChoice } from './messages-request-schema';

export interface GeminiTools {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
}

/**
 * Anthropic-defined tools Gemini has its own equivalent for, by the stem of their versioned `type`
 * (`web_search_20250305`, `web_fetch_20250910` …): Anthropic runs them on its servers, Gemini runs these.
 * Every other Anthropic-defined tool (bash, text editor, computer, code execution, memory, tool search) is
 * refused: its schema lives on Anthropic's side, so Gemini could not be told how to call it. Claude Code
 * 2.1 sends none of them (test/agents/fixtures): its own tools are all custom tools with an input_schema.
 */
export const SERVER_TOOLS = {
  web_search: { googleSearch: {} },
  web_fetch: { urlContext: {} },
} as const satisfies Record<string, GeminiTool>;

/** `tool_choice` types → Gemini's function calling modes; `tool` adds the one allowed name. */
export const TOOL_CHOICE_MODES = {
  auto: 'AUTO',
  any: 'ANY',
  tool: 'ANY',
  none: 'NONE',
} as const satisfies Record<ToolChoice['type'], GeminiToolConfig['functionCallingConfig']['mode']>;

/**
 * `tools` + `tool_choice` → Gemini `tools` + `toolConfig`. Custom tools become function declarations, their
 * `input_schema` through the shared JSON Schema conversion (an object without properties is left out:
 * Gemini means "no arguments" by an absent `parameters`). A tool marked `defer_loading` is not declared:
 * Anthropic keeps it out of the prompt until tool search finds it, and Claude Code then sends it again
 * without the mark. `disable_parallel_tool_use` has no Gemini switch and is dropped. All schemas spend one `budget`.
 * Web search and fetch are sent only in a request without custom tools: Gemini 2.5 refuses the combination, and
 * Gemini 3 takes it only with server-side tool invocations whose `toolCall`/`toolResponse` parts would have to be
 * replayed in later turns (https://ai.google.dev/gemini-api/docs/tool-combination), which this gateway does not
 * carry. Claude Code asks for web search in a request of its own, with that tool alone.
 */
export function toGeminiTools(
  tools: readonly AnthropicTool[] | undefined,
  choice: ToolChoice | undefined,
  budget: SchemaBudget,
): GeminiTools {
  const declarations: GeminiFunctionDeclaration[] = [];
  const builtIn: GeminiTool[] = [];
  (tools ?? []).forEach((tool, t) => {
    const at = `tools[${t}]`;
    if (tool.type == null || tool.type === 'custom') {
      if (tool.defer_loading === true) return;
      if (!tool.input_schema)
        throw new GatewayError(400, `Missing required parameter: '${at}.input_schema'.`, {
          param: `${at}.input_schema`,
        });
      if (declarations.some((declared) => declared.name === tool.name)) {
        throw new GatewayError(
          400,
          `Invalid '${at}.name': tool names must be unique; '${tool.name}' is declared twice.`,
          { param: `${at}.name` },
        );
      }
      declarations.push(
        toGeminiFunctionDeclaration(
          { name: tool.name, description: tool.description, parameters: tool.input_schema },
          `${at}.input_schema`,
          budget,
        ),
      );
      return;
    }
    const stem = tool.type.replace(/_\d{8}$/, '');
    if (!Object.hasOwn(SERVER_TOOLS, stem)) {
      throw new GatewayError(
        400,
        `Invalid '${at}.type': '${tool.type}' is an Anthropic-defined tool that Gemini has no equivalent for; declare it as a custom tool with an input_schema.`,
        {
          param: `${at}.type`,
        },
      );
    }
    const geminiTool = SERVER_TOOLS[stem as keyof typeof SERVER_TOOLS];
    if (!builtIn.includes(geminiTool)) builtIn.push(geminiTool);
  });

  const result: GeminiTools = {};
  if (choice) {
    const names = declarations.map((declaration) => declaration.name);
    if (choice.type === 'tool' && !names.includes(choice.name)) {
      throw new GatewayError(400, `Invalid 'tool_choice.name': no tool named '${choice.name}' in 'tools'.`, {
        param: 'tool_choice.name',
      });
    }
    if (choice.type === 'any' && names.length === 0) {
      throw new GatewayError(400, "tool_choice 'any' needs at least one custom tool in 'tools'.", {
        param: 'tool_choice',
      });
    }
    // Without declarations there is nothing to configure (`none` or `auto` with server tools only).
    if (declarations.length > 0) {
      result.toolConfig = {
        functionCallingConfig:
          choice.type === 'tool'
            ? { mode: TOOL_CHOICE_MODES.tool, allowedFunctionNames: [choice.name] }
            : { mode: TOOL_CHOICE_MODES[choice.type] },
      };
    }
  }
  const geminiTools: GeminiTool[] = declarations.length > 0 ? [{ functionDeclarations: declarations }] : builtIn;
  if (geminiTools.length > 0) result.tools = geminiTools;
  return result;
}
