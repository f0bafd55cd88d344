import { GatewayError } from '../errors';
import type { SchemaBudget } from '../gemini/create-schema-budget';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from '../gemini/gemini-types';
import { toGeminiFunctionDeclaration } from '../gemini/to-gemini-function-declaration';
import type { ResponsesCustomTool, ResponsesTool, ResponsesToolChoice } from './responses-request-schema';

/** The client's tool a Gemini function name stands for. */
export interface ToolTarget {
  type: 'function' | 'custom';
  name: string;
  namespace?: string;
}

/** Gemini function name → the client's tool, to turn Gemini's calls back into the client's items. */
export type ToolNames = ReadonlyMap<string, ToolTarget>;

export interface GeminiTools {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  names: ToolNames;
}

export interface ToolOptions {
  /** What the request's converted schemas may take (create-schema-budget). */
  budget: SchemaBudget;
}

/**
 * The Gemini function name of a client tool. A function inside a `namespace` tool (Codex groups its
 * sub-agent tools so) is `namespace.name`: Gemini allows dots in names, OpenAI does not, so the name
 * cannot collide with a top-level tool.
 */
export function geminiToolName(name: string, namespace?: string | null): string {
  return namespace ? `${namespace}.${name}` : name;
}

/** The one argument a custom (freeform) tool's function takes: the tool's raw input text. */
export const CUSTOM_TOOL_ARGUMENT = 'input';

/**
 * Responses `tools` + `tool_choice` → Gemini `tools` + `toolConfig`, and the name table to map calls back.
 * - `function` → a declaration; `namespace` → one declaration per function inside, named `namespace.name`;
 * - `custom` (freeform: Codex's patch tool) → a function taking one string argument, `input`, whose
 *   description carries the tool's grammar; its calls become `custom_tool_call` items again;
 * - `web_search` → Google Search grounding. Skipped when Codex's "cached" search is asked for
 *   (`external_web_access: false`: Gemini can only search the live web, which the user did not allow), and
 *   when the request declares functions too: Gemini 2.5 refuses the combination, and Gemini 3 takes it only
 *   with server-side tool invocations whose `toolCall`/`toolResponse` parts would have to be replayed in
 *   later turns (https://ai.google.dev/gemini-api/docs/tool-combination), which this gateway does not carry;
 * - OpenAI's hosted tools that need its servers (file search, code interpreter, MCP, …) are refused.
 */
export function toGeminiTools(
  tools: readonly ResponsesTool[] | null | undefined,
  choice: ResponsesToolChoice | null | undefined,
  options: ToolOptions,
  /** Tools from elsewhere in the request (Codex's `additional_tools` input items), with their field names. */
  more: readonly { tool: ResponsesTool; param: string }[] = [],
): GeminiTools {
  let declarations: GeminiFunctionDeclaration[] = [];
  const names = new Map<string, ToolTarget>();
  let search = false;
  const declare = (declaration: GeminiFunctionDeclaration, target: ToolTarget, param: string) => {
    if (names.has(declaration.name)) {
      throw new GatewayError(400, `Invalid '${param}': a tool named '${declaration.name}' is already in 'tools'.`, {
        param,
        code: 'invalid_value',
      });
    }
    if (declaration.name.length > 64) {
      throw new GatewayError(
        400,
        `Invalid '${param}': '${declaration.name}' is longer than the 64 characters Gemini allows for a function name.`,
        { param, code: 'invalid_value' },
      );
    }
    names.set(declaration.name, target);
    declarations.push(declaration);
  };

  const entries = [...(tools ?? []).map((tool, t) => ({ tool, param: `tools[${t}]` })), ...more];
  for (const { tool, param } of entries) {
    switch (tool.type) {
      case 'function':
        declare(
          toGeminiFunctionDeclaration(tool, `${param}.parameters`, options.budget),
          { type: 'function', name: tool.name },
          `${param}.name`,
        );
        break;
      case 'custom':
        declare(
          customDeclaration(tool, tool.name, `${param}.format`, options.budget),
          { type: 'custom', name: tool.name },
          `${param}.name`,
        );
        break;
      case 'namespace':
        tool.tools.forEach((inner, i) => {
          const name = geminiToolName(inner.name, tool.name);
          const at = `${param}.tools[${i}]`;
          const target: ToolTarget = { type: inner.type, name: inner.name, namespace: tool.name };
          if (inner.type === 'function')
            declare(
              toGeminiFunctionDeclaration({ ...inner, name }, `${at}.parameters`, options.budget),
              target,
              `${at}.name`,
            );
          else declare(customDeclaration(inner, name, `${at}.format`, options.budget), target, `${at}.name`);
        });
        break;
      case 'web_search':
      case 'web_search_2025_08_26':
      case 'web_search_preview':
      case 'web_search_preview_2025_03_11':
        if (tool.external_web_access !== false) search = true;
        break;
      default:
        throw new GatewayError(
          400,
          `Invalid '${param}.type': the '${tool.type}' tool runs on OpenAI's servers and is not available through this Gemini gateway.`,
          {
            param: `${param}.type`,
            code: 'unsupported_tool',
          },
        );
    }
  }

  let toolConfig: GeminiToolConfig | undefined;
  if (choice != null && choice !== 'auto') {
    const mapped = mapChoice(choice, names);
    if (mapped.only) {
      const only = mapped.only;
      declarations = declarations.filter((declaration) => only.includes(declaration.name));
    }
    toolConfig = mapped.toolConfig;
  } else if (choice === 'auto' && declarations.length > 0) {
    toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
  }
  if (declarations.length === 0) toolConfig = undefined;

  const geminiTools: GeminiTool[] = [];
  if (declarations.length > 0) geminiTools.push({ functionDeclarations: declarations });
  if (search && declarations.length === 0) geminiTools.push({ googleSearch: {} });
  const result: GeminiTools = { names };
  if (geminiTools.length > 0) result.tools = geminiTools;
  if (toolConfig) result.toolConfig = toolConfig;
  return result;
}

function customDeclaration(
  tool: ResponsesCustomTool,
  name: string,
  param: string,
  budget: SchemaBudget,
): GeminiFunctionDeclaration {
  const format = tool.format;
  const usage =
    `Pass the tool's raw input text, not JSON, as the one argument '${CUSTOM_TOOL_ARGUMENT}'.` +
    (format?.type === 'grammar' ? `\nThe input must match this ${format.syntax} grammar:\n${format.definition}` : '');
  const description = tool.description ? `${tool.description}\n\n${usage}` : usage;
  const parameters = {
    type: 'object',
    properties: { [CUSTOM_TOOL_ARGUMENT]: { type: 'string' } },
    required: [CUSTOM_TOOL_ARGUMENT],
  };
  return toGeminiFunctionDeclaration({ name, description, parameters }, param, budget);
}

interface MappedChoice {
  toolConfig?: GeminiToolConfig;
  /** `allowed_tools` in auto mode: Gemini restricts names only in ANY mode, so declarations are filtered. */
  only?: readonly string[];
}

function mapChoice(choice: Exclude<ResponsesToolChoice, 'auto'>, names: ToolNames): MappedChoice {
  if (choice === 'none') return { toolConfig: { functionCallingConfig: { mode: 'NONE' } } };
  if (choice === 'required') {
    if (names.size === 0)
      throw new GatewayError(400, "tool_choice 'required' needs at least one function or custom tool in 'tools'.", {
        param: 'tool_choice',
      });
    return { toolConfig: { functionCallingConfig: { mode: 'ANY' } } };
  }
  switch (choice.type) {
    case 'function':
    case 'custom': {
      const name = declaredName(choice.name, names, 'tool_choice.name');
      return { toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [name] } } };
    }
    case 'allowed_tools': {
      const allowed = choice.tools.flatMap((tool, t) =>
        tool.name ? [declaredName(tool.name, names, `tool_choice.tools[${t}].name`)] : [],
      );
      if (choice.mode === 'required')
        return { toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: allowed } } };
      return { toolConfig: { functionCallingConfig: { mode: 'AUTO' } }, only: allowed };
    }
    default:
      // A hosted tool (web search): Gemini cannot force a search; the model decides as with 'auto'.
      return { toolConfig: { functionCallingConfig: { mode: 'AUTO' } } };
  }
}

/** The Gemini name of a tool the client names in `tool_choice` (a namespaced function by its own name too). */
function declaredName(name: string, names: ToolNames, param: string): string {
  if (names.has(name)) return name;
  for (const [geminiName, target] of names) if (target.name === name) return geminiName;
  throw new GatewayError(400, `Invalid value for '${param}': no tool named '${name}' in 'tools'.`, { param });
}
