/**
 * What the benchmark sends and what the stubbed upstream answers: a chat request as a coding agent sends
 * it (a long system prompt, 20 turns of history with tool calls and their results, 6 tools with real JSON
 * Schemas), its Gemini-native twin, and Gemini's answers as the bytes Google sends. Pure and deterministic,
 * so the same module runs in Node and inside the Edge Runtime VM.
 */
import { textChunks } from '../fake-gemini/builders';
import type { GeminiResponseJSON } from '../fake-gemini/types';

export const CHAT_MODEL = 'gemini-3.8-flash';
export const NATIVE_GENERATE_PATH = `/v1beta/models/${CHAT_MODEL}:generateContent`;
export const NATIVE_STREAM_PATH = `/v1beta/models/${CHAT_MODEL}:streamGenerateContent`;

const RULES = [
  'You are a senior software engineer working inside the user’s repository through the tools below. Read before you write: open every file you intend to change, and the files that call into it, before proposing an edit.',
  'Keep changes minimal and focused on the task. Do not reformat code you do not otherwise touch, do not rename public symbols without being asked, and never delete tests to make a build pass.',
  'When a command fails, read its output carefully, form a hypothesis, and verify it with a second command before changing code. Quote the relevant lines of output in your explanation.',
  'Prefer the project’s existing libraries, helpers and conventions over new dependencies. If you must add a dependency, say why, and pin its version the way the project pins the others.',
  'Write code that a reviewer can read in one pass: small functions named after what they do, comments that explain why rather than what, and error messages that name the input at fault.',
  'Tests are part of every change. Add or update the test that would have caught the bug, run the narrowest test command first, then the whole suite before you report that you are done.',
  'Never print, log or commit secrets. Environment files, API keys and tokens stay out of diffs, command lines and your replies, even when the user pastes them into the conversation.',
  'When you are unsure what the user wants, ask one precise question instead of guessing; when you are sure, act without asking for confirmation of every step.',
];

/** About 8 KB of instructions, as coding agents (Cline, Roo, Continue, aider) send on every request. */
export const SYSTEM_PROMPT = (() => {
  const sections: string[] = [];
  for (let round = 1; sections.join('\n\n').length < 8_000; round++) {
    sections.push(`## Guidelines, part ${round}\n\n${RULES.map((rule, i) => `${i + 1}. ${rule}`).join('\n')}`);
  }
  return `# Role\n\n${sections.join('\n\n')}\n\n# Environment\n\nOperating system: Linux. Shell: bash. Working directory: /home/dev/project. Current time: 2025-06-01T12:00:00Z.`;
})();

const FILE_CONTENT = `import { createServer } from 'node:http';
import { loadConfig } from './config';
import { createRouter } from './router';

export async function main(argv: string[]): Promise<void> {
  const config = loadConfig(process.env);
  const router = createRouter(config);
  const server = createServer((req, res) => {
    router.handle(req, res).catch((error: unknown) => {
      console.error('unhandled', error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const port = Number(argv[2] ?? config.port);
  await new Promise<void>((resolve) => server.listen(port, resolve));
  console.log(\`listening on \${port}\`);
}
`;

const TEST_OUTPUT = ` FAIL  test/router.test.ts > router > answers 404 for unknown paths
AssertionError: expected 500 to be 404
 ❯ test/router.test.ts:42:27
     40|     const res = await request(app).get('/nope');
     41|     expect(res.headers['content-type']).toMatch(/json/);
     42|     expect(res.status).toBe(404);
       |                           ^
 Test Files  1 failed | 11 passed (12)
      Tests  1 failed | 87 passed (88)`;

type Schema = Record<string, unknown>;

const pathParam: Schema = { type: 'string', description: 'Path relative to the workspace root, e.g. src/index.ts.' };

/** Six tools of a coding agent, with the JSON Schema shapes such agents send (enums, arrays of objects, nullable fields, bounds). */
export const TOOLS = [
  {
    name: 'read_file',
    description:
      'Read a file from the workspace. Returns its content with line numbers. Use start_line/end_line for large files.',
    parameters: {
      type: 'object',
      properties: {
        path: pathParam,
        start_line: { type: ['integer', 'null'], minimum: 1, description: 'First line to read (1-based).' },
        end_line: { type: ['integer', 'null'], minimum: 1, description: 'Last line to read, inclusive.' },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
  {
    name: 'write_file',
    description: 'Create a file or replace its whole content. Prefer apply_diff for edits to existing files.',
    parameters: {
      type: 'object',
      properties: {
        path: pathParam,
        content: { type: 'string', description: 'The complete new content of the file.' },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    },
  },
  {
    name: 'apply_diff',
    description:
      'Apply search/replace edits to one file. Each search block must match the file exactly, whitespace included.',
    parameters: {
      type: 'object',
      properties: {
        path: pathParam,
        edits: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              search: { type: 'string', description: 'Exact text to find.' },
              replace: { type: 'string', description: 'Text to put in its place.' },
              occurrence: {
                type: 'integer',
                minimum: 1,
                description: 'Which match to replace when the search text occurs more than once.',
              },
            },
            required: ['search', 'replace'],
            additionalProperties: false,
          },
        },
      },
      required: ['path', 'edits'],
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
  },
  {
    name: 'run_command',
    description:
      'Run a shell command in the workspace and return its exit code, stdout and stderr (truncated to 20 KB).',
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command line, run with bash -lc.' },
        cwd: {
          anyOf: [{ type: 'string' }, { type: 'null' }],
          description: 'Working directory relative to the root; defaults to the root.',
        },
        timeout_seconds: { type: 'number', minimum: 1, maximum: 600, default: 120 },
        env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra environment variables.' },
      },
      required: ['command'],
      additionalProperties: false,
    },
  },
  {
    name: 'search_files',
    description:
      'Search file contents with a regular expression (ripgrep syntax). Returns matching lines with context.',
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Regular expression to search for.' },
        path: { ...pathParam, description: 'Directory to search in; defaults to the root.' },
        file_glob: { type: 'string', description: 'Only search files matching this glob, e.g. *.ts.' },
        case_sensitive: { type: 'boolean', default: false },
        context_lines: { type: 'integer', minimum: 0, maximum: 10, default: 2 },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
  },
  {
    name: 'list_files',
    description: 'List files and directories under a path, optionally recursively, respecting .gitignore.',
    parameters: {
      type: 'object',
      properties: {
        path: pathParam,
        recursive: { type: 'boolean', description: 'Descend into subdirectories.' },
        kind: { type: 'string', enum: ['all', 'files', 'directories'], default: 'all' },
        max_entries: { type: 'integer', minimum: 1, maximum: 5000 },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
] as const;

type ToolName = (typeof TOOLS)[number]['name'];
type ChatMessage = Record<string, unknown>;

let callCounter = 0;
function call(
  name: ToolName,
  args: Record<string, unknown>,
): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  callCounter += 1;
  return {
    id: `call_${String(callCounter).padStart(2, '0')}Xk7aP2mQ9vR4tL1s`,
    type: 'function',
    function: { name, arguments: JSON.stringify(args) },
  };
}

/** 20 turns after the system prompt: requests, tool calls (one round with two parallel calls), results, answers. */
function history(): ChatMessage[] {
  callCounter = 0;
  const read = call('read_file', { path: 'src/main.ts' });
  const search = call('search_files', { pattern: 'createRouter\\(', file_glob: '*.ts' });
  const diff = call('apply_diff', {
    path: 'src/router.ts',
    edits: [
      {
        search: '  return res.writeHead(500).end();\n',
        replace: "  return sendJson(res, 404, { error: 'not found' });\n",
      },
    ],
  });
  const test = call('run_command', { command: 'npx vitest run test/router.test.ts', timeout_seconds: 120 });
  const readTest = call('read_file', { path: 'test/router.test.ts', start_line: 30, end_line: 60 });
  const write = call('write_file', {
    path: 'src/send-json.ts',
    content:
      "export function sendJson(res, status, body) {\n  res.writeHead(status, { 'content-type': 'application/json' });\n  res.end(JSON.stringify(body));\n}\n",
  });
  const suite = call('run_command', { command: 'npm test', timeout_seconds: 300 });
  return [
    {
      role: 'user',
      content:
        'The router answers 500 instead of 404 for unknown paths. Find out why and fix it; keep the JSON error format.',
    },
    {
      role: 'assistant',
      content: 'I will start with the entry point to see how requests reach the router.',
      tool_calls: [read],
    },
    { role: 'tool', tool_call_id: read.id, content: FILE_CONTENT },
    { role: 'assistant', content: null, tool_calls: [search] },
    {
      role: 'tool',
      tool_call_id: search.id,
      content: `src/main.ts:3:import { createRouter } from './router';\nsrc/main.ts:7:  const router = createRouter(config);\ntest/router.test.ts:12:  const app = createRouter(testConfig);`,
    },
    {
      role: 'assistant',
      content: 'The router falls through to a bare 500 when no route matches. I will make the fallback a JSON 404.',
    },
    { role: 'user', content: [{ type: 'text', text: 'Sounds right. Go ahead, and run the router tests afterwards.' }] },
    { role: 'assistant', content: '', tool_calls: [diff] },
    { role: 'tool', tool_call_id: diff.id, content: JSON.stringify({ ok: true, applied: 1, path: 'src/router.ts' }) },
    {
      role: 'assistant',
      content: 'Edit applied. Running the tests and reading the failing one.',
      tool_calls: [test, readTest],
    },
    { role: 'tool', tool_call_id: test.id, content: TEST_OUTPUT },
    { role: 'tool', tool_call_id: readTest.id, content: FILE_CONTENT.replaceAll('main', 'routerTest') },
    {
      role: 'assistant',
      content:
        '`sendJson` does not exist yet, so the fallback throws and the outer handler answers 500. I will add the helper.',
    },
    { role: 'user', content: 'Put it in its own module please.' },
    { role: 'assistant', content: null, tool_calls: [write] },
    { role: 'tool', tool_call_id: write.id, content: 'File written: src/send-json.ts (4 lines).' },
    { role: 'assistant', content: 'Now the whole suite.', tool_calls: [suite] },
    {
      role: 'tool',
      tool_call_id: suite.id,
      content: ' Test Files  12 passed (12)\n      Tests  88 passed (88)\n   Duration  2.41s',
    },
    {
      role: 'assistant',
      content:
        'All 88 tests pass. The fallback now answers `404 {"error":"not found"}` through the new `sendJson` helper.',
    },
    {
      role: 'user',
      content: 'Great. Now add a test for the 405 case on known paths with the wrong method, then run the suite again.',
    },
  ];
}

/** The OpenAI chat request of a coding client. */
export function chatRequest(stream: boolean): Record<string, unknown> {
  return {
    model: CHAT_MODEL,
    messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...history()],
    tools: TOOLS.map((tool) => ({ type: 'function', function: tool })),
    tool_choice: 'auto',
    temperature: 0.2,
    max_tokens: 8192,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/**
 * The same conversation in Gemini's own format, as a client of the native surface (the @google/genai SDK)
 * sends it. Written by hand rather than taken from the gateway's converter, so the native benchmark does not
 * depend on the code it is compared with.
 */
export function nativeRequest(): Record<string, unknown> {
  const contents: { role: string; parts: Record<string, unknown>[] }[] = [];
  const names = new Map<string, string>();
  const push = (role: string, part: Record<string, unknown>) => {
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(part);
    else contents.push({ role, parts: [part] });
  };
  for (const message of history()) {
    const content = message.content;
    const text =
      typeof content === 'string'
        ? content
        : Array.isArray(content)
          ? content.map((part: { text: string }) => part.text).join('')
          : '';
    if (message.role === 'tool') {
      push('user', {
        functionResponse: { name: names.get(message.tool_call_id as string), response: { result: text } },
      });
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    if (text) push(role, { text });
    for (const toolCall of (message.tool_calls as ReturnType<typeof call>[] | undefined) ?? []) {
      names.set(toolCall.id, toolCall.function.name);
      push(role, { functionCall: { name: toolCall.function.name, args: JSON.parse(toolCall.function.arguments) } });
    }
  }
  return {
    systemInstruction: { parts: [{ text: SYSTEM_PROMPT }] },
    contents,
    tools: [
      {
        functionDeclarations: TOOLS.map((tool) => ({
          name: tool.name,
          description: tool.description,
          parametersJsonSchema: tool.parameters,
        })),
      },
    ],
    generationConfig: { temperature: 0.2, maxOutputTokens: 8192 },
  };
}

const REPLY_TEXT =
  'I added a test that sends POST to /health, which only accepts GET, and expects 405 with an Allow header. It failed at first because the router matched the path before the method; ' +
  'I changed the match to collect the allowed methods of a path and answer 405 when the path is known but the method is not. The suite passes: 89 tests.';

/** A generateContent answer as Google sends it: pretty-printed, text plus a function call, usage. */
export function generateReply(): GeminiResponseJSON {
  return {
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            { text: REPLY_TEXT },
            { functionCall: { name: 'run_command', args: { command: 'npm test', timeout_seconds: 300 } } },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: {
      promptTokenCount: 4127,
      candidatesTokenCount: 96,
      totalTokenCount: 4223,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 4127 }],
    },
    modelVersion: CHAT_MODEL,
    responseId: 'mJ9aZ4-bench-AbCdEfGhIjKl',
  };
}

/** `count` stream chunks of a text reply (word-sized pieces, cumulative usage, the last with the finish reason). */
export function streamReplyChunks(count: number): GeminiResponseJSON[] {
  const words = REPLY_TEXT.split(' ');
  const pieces = Array.from({ length: count }, (_, i) => `${words[i % words.length]} `);
  return textChunks(pieces.join(''), {
    pieces,
    modelVersion: CHAT_MODEL,
    responseId: 'mJ9aZ4-bench-AbCdEfGhIjKl',
    promptTokenCount: 4127,
  });
}

const encoder = new TextEncoder();

/** Google's bytes: pretty JSON with a trailing newline. */
export function generateReplyBytes(): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${JSON.stringify(generateReply(), null, 2)}\n`);
}

/** One network chunk per SSE event, `data: {json}\r\n\r\n` as Google frames them. */
export function streamReplyBytes(count: number): Uint8Array<ArrayBuffer>[] {
  return streamReplyChunks(count).map((chunk) => encoder.encode(`data: ${JSON.stringify(chunk)}\r\n\r\n`));
}
