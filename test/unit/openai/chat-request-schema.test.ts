import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors';
import { chatRequestSchema } from '../../../src/openai/chat-request-schema';
import { parseWithSchema } from '../../../src/openai/parse-with-schema';

const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };

function failure(body: unknown): GatewayError {
  try {
    parseWithSchema(chatRequestSchema, body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('chat request validation', () => {
  it.each([
    ['no messages', { model: 'gpt-4o' }, 'messages', "Missing required parameter: 'messages'."],
    ['no model', { messages: base.messages }, 'model', "Missing required parameter: 'model'."],
    ['messages not a list', { ...base, messages: 'hi' }, 'messages', "Invalid type for 'messages': expected an array, but got a string instead."],
    ['empty messages', { ...base, messages: [] }, 'messages', "Invalid 'messages': expected at least 1 item."],
    ['unknown role', { ...base, messages: [{ role: 'user', content: 'a' }, { role: 'function', content: 'x' }] }, 'messages[1].role', `Invalid value for 'messages[1].role': "function". Supported values are: 'system', 'developer', 'user', 'assistant', 'tool'.`],
    ['missing role', { ...base, messages: [{ content: 'x' }] }, 'messages[0].role', "Missing required parameter: 'messages[0].role'."],
    ['content of wrong type', { ...base, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content', "Invalid type for 'messages[0].content': got a number, which matches none of the accepted forms."],
    ['bad text part', { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] }, 'messages[0].content[0].text', "Invalid type for 'messages[0].content[0].text': expected a string, but got a number instead."],
    ['unknown part type', { ...base, messages: [{ role: 'user', content: [{ type: 'video', video: {} }] }] }, 'messages[0].content[0].type', `Invalid value for 'messages[0].content[0].type': "video". Supported values are: 'text', 'image_url', 'input_audio', 'file'.`],
    ['tool without tool_call_id', { ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', "Missing required parameter: 'messages[0].tool_call_id'."],
    ['temperature as string', { ...base, temperature: 'hot' }, 'temperature', "Invalid type for 'temperature': expected a number, but got a string instead."],
    ['temperature too high', { ...base, temperature: 3 }, 'temperature', "Invalid 'temperature': expected a value <= 2."],
    ['six stop sequences', { ...base, stop: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'stop', "Invalid 'stop': Gemini accepts at most 5 stop sequences."],
    ['n of zero', { ...base, n: 0 }, 'n', "Invalid 'n': expected a value >= 1."],
    ['fractional max_tokens', { ...base, max_tokens: 1.5 }, 'max_tokens', "Invalid type for 'max_tokens': expected an integer, but got a number instead."],
    ['unknown reasoning_effort', { ...base, reasoning_effort: 'extreme' }, 'reasoning_effort', `Invalid value for 'reasoning_effort': "extreme". Supported values are: 'none', 'minimal', 'low', 'medium', 'high'.`],
    ['unknown top-level field', { ...base, temprature: 1 }, 'temprature', 'Unrecognized request argument supplied: temprature'],
    ['legacy functions', { ...base, functions: [] }, 'functions', 'Unrecognized request argument supplied: functions'],
    ['unknown google option', { ...base, google: { thinking: 1 } }, 'google.thinking', "Unrecognized argument 'thinking' in 'google'."],
    ['bad response_format type', { ...base, response_format: { type: 'xml' } }, 'response_format.type', `Invalid value for 'response_format.type': "xml". Supported values are: 'text', 'json_object', 'json_schema'.`],
    ['bad tool_choice', { ...base, tool_choice: 'always' }, 'tool_choice', `Invalid value for 'tool_choice': "always". Supported values are: 'auto', 'none', 'required'.`],
    ['tool_choice object without function', { ...base, tool_choice: { type: 'function' } }, 'tool_choice.function', "Missing required parameter: 'tool_choice.function'."],
    ['tool without function name', { ...base, tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name', "Missing required parameter: 'tools[0].function.name'."],
  ])('%s → 400 naming %s', (_name, body, param, message) => {
    const error = failure(body);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toBe(message);
  });

  it('accepts every documented field', () => {
    const body = {
      ...base,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      n: 2,
      stop: 'END',
      max_tokens: 100,
      max_completion_tokens: 200,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      seed: 7,
      logprobs: true,
      top_logprobs: 3,
      response_format: { type: 'json_object' },
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} }, strict: true } }],
      tool_choice: 'auto',
      reasoning_effort: 'low',
      web_search_options: { search_context_size: 'low' },
      modalities: ['text'],
      audio: null,
      extra_body: { google: { cached_content: 'cachedContents/abc' } },
      safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      user: 'u1',
      metadata: { a: 'b' },
      store: false,
      service_tier: 'auto',
      parallel_tool_calls: true,
      logit_bias: { '50256': -100 },
      prediction: null,
      prompt_cache_key: 'k',
      safety_identifier: 's',
      verbosity: 'low',
    };
    expect(parseWithSchema(chatRequestSchema, body).stop).toBe('END');
  });

  it('ignores unknown keys inside messages (clients echo their own fields back)', () => {
    const parsed = parseWithSchema(chatRequestSchema, {
      ...base,
      messages: [{ role: 'assistant', content: 'x', reasoning_content: 'thought', id: 'm1' }],
    });
    expect(parsed.messages[0]).toEqual({ role: 'assistant', content: 'x' });
  });
});
