/**
 * A recorded Anthropic Messages or Responses request as the same conversation sent to the OpenAI chat
 * surface: the same instructions, turns, tool calls and results, and tools with the same JSON Schemas, so
 * the bench can put each surface beside chat on a request of the same size and content (issue 18). Reads
 * the shapes the recorded coding clients send (text, tool calls and results, function, custom and
 * namespace tools); anything else is left out. Pure: it runs in Node and inside the Edge Runtime VM.
 */
import { CHAT_MODEL } from './fixtures';

type Json = Record<string, unknown>;

export type Surface = 'anthropic' | 'responses';

/** Which surface a recorded request's path belongs to, or undefined for one the bench does not pair. */
export function surfaceOf(url: string): Surface | undefined {
  const path = url.split('?')[0] ?? '';
  if (path.endsWith('/messages')) return 'anthropic';
  if (path.endsWith('/responses')) return 'responses';
  return undefined;
}

export function asChatRequest(surface: Surface, body: Json): Json {
  return surface === 'anthropic' ? fromAnthropic(body) : fromResponses(body);
}

const asText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value
          .map((part) => (part as { text?: unknown }).text)
          .filter((text): text is string => typeof text === 'string')
          .join('\n')
      : '';

function fromAnthropic(body: Json): Json {
  const messages: Json[] = [];
  // Claude Code's billing block is not sent to Gemini (to-gemini-contents.ts), so the twin leaves it out too.
  const system = Array.isArray(body.system)
    ? (body.system as Json[]).filter((block) => !String(block.text).startsWith('x-anthropic-billing-header:'))
    : body.system;
  if (system !== undefined) messages.push({ role: 'system', content: asText(system) });
  for (const message of (body.messages ?? []) as Json[]) {
    if (typeof message.content === 'string' || message.role === 'system') {
      messages.push({ role: message.role, content: asText(message.content) });
      continue;
    }
    const blocks = message.content as Json[];
    const text = asText(blocks.filter((block) => block.type === 'text'));
    const calls = blocks.filter((block) => block.type === 'tool_use');
    for (const result of blocks.filter((block) => block.type === 'tool_result'))
      messages.push({ role: 'tool', tool_call_id: result.tool_use_id, content: asText(result.content) });
    if (message.role === 'assistant' && calls.length > 0) {
      messages.push({
        role: 'assistant',
        content: text || null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        })),
      });
    } else if (text !== '') messages.push({ role: message.role, content: text });
  }
  const tools = ((body.tools ?? []) as Json[])
    .filter((tool) => tool.input_schema !== undefined && tool.defer_loading !== true)
    .map((tool) => functionTool(tool.name, tool.description, tool.input_schema));
  return chatBody(messages, tools, body.stream);
}

function fromResponses(body: Json): Json {
  const messages: Json[] = [];
  if (typeof body.instructions === 'string') messages.push({ role: 'system', content: body.instructions });
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input as Json[]);
  const tools: Json[] = [];
  // A custom (freeform) tool is a function of one string, as the Responses surface declares it (to-gemini-tools.ts).
  const parameters = (tool: Json) =>
    tool.type === 'custom'
      ? { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] }
      : tool.parameters;
  const declare = (list: unknown) => {
    for (const tool of (list ?? []) as Json[]) {
      if (tool.type === 'function' || tool.type === 'custom')
        tools.push(functionTool(tool.name, tool.description, parameters(tool)));
      if (tool.type === 'namespace')
        for (const inner of tool.tools as Json[])
          tools.push(functionTool(`${String(tool.name)}__${String(inner.name)}`, inner.description, parameters(inner)));
    }
  };
  declare(body.tools);
  for (const item of input ?? []) {
    const type = item.type ?? 'message';
    if (type === 'message')
      messages.push({ role: item.role === 'developer' ? 'system' : item.role, content: asText(item.content) });
    else if (type === 'function_call' || type === 'custom_tool_call')
      messages.push({
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: item.call_id,
            type: 'function',
            function: { name: item.name, arguments: item.arguments ?? JSON.stringify({ input: item.input }) },
          },
        ],
      });
    else if (type === 'function_call_output' || type === 'custom_tool_call_output')
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: asText(item.output) });
    else if (type === 'additional_tools') declare(item.tools);
  }
  return chatBody(messages, tools, body.stream);
}

function functionTool(name: unknown, description: unknown, parameters: unknown): Json {
  return { type: 'function', function: { name, description, parameters } };
}

function chatBody(messages: Json[], tools: Json[], stream: unknown): Json {
  return { model: CHAT_MODEL, messages, ...(tools.length > 0 ? { tools } : {}), stream: stream === true };
}
