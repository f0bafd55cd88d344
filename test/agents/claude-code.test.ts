import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateCalls, type UpstreamGenerateBody } from '../e2e/support/openai-client';
import { type Stack, startStack } from '../e2e/support/stack';
import { functionCallReply, type GeminiPartJSON, type RecordedRequest, type Step, textReply } from '../fake-gemini';
import { installAgent } from './install-agent';

/**
 * Claude Code itself, headless (`claude -p`), pointed at the real gateway in front of the strict fake Gemini.
 * It runs offline: a temporary HOME keeps it away from any real configuration, and
 * CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC stops everything but the model calls.
 */
const CLAUDE_CODE = { name: '@anthropic-ai/claude-code', version: '2.1.332', bin: 'claude' } as const;
const ACCESS_TOKEN = 'agent-access-token';
const SERVER_KEY = 'server-key-for-claude';

let claude: string;
let stack: Stack;
let home: string;
let workdir: string;

beforeAll(async () => {
  claude = await installAgent(CLAUDE_CODE);
  stack = await startStack({ GEMINI_API_KEYS: SERVER_KEY, ACCESS_TOKENS: ACCESS_TOKEN }, { chunkDelayMs: 0 });
  home = mkdtempSync(join(tmpdir(), 'claude-home-'));
  workdir = mkdtempSync(join(tmpdir(), 'claude-work-'));
});
afterAll(async () => {
  await stack?.close();
  for (const dir of [home, workdir]) if (dir) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => stack.fake.reset());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runClaude(prompt: string, credentials: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(claude, ['-p', prompt], {
      cwd: workdir,
      // Only what Claude Code needs: no variable of the machine's own setup leaks in.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CLAUDE_CONFIG_DIR: join(home, '.claude'),
        ANTHROPIC_BASE_URL: stack.url,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        ...credentials,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const parts = (request: RecordedRequest): GeminiPartJSON[] =>
  ((request.body as UpstreamGenerateBody).contents ?? []).flatMap((c) => c.parts as GeminiPartJSON[]);

describe('Claude Code 2.1 on the gateway', () => {
  it('answers a plain prompt with a Gemini key in ANTHROPIC_API_KEY', async () => {
    const run = await runClaude('Say hi', { ANTHROPIC_API_KEY: 'client-key-1' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().endsWith('Say hi')).toBe(true);
    expect(run.stdout.startsWith('Echo: ')).toBe(true);

    // Its real request (≈ 50 kB, a dozen tools, adaptive thinking, effort) converted without a 400.
    const calls = generateCalls(stack.fake.requests);
    expect(calls).toHaveLength(1);
    const call = calls[0] as RecordedRequest;
    expect(call.path).toBe('/v1beta/models/gemini-pro-latest:streamGenerateContent');
    expect(call.key).toBe('client-key-1');
    expect(call.rawBody.length).toBeGreaterThan(20_000);
    const body = call.body as UpstreamGenerateBody;
    expect(
      (body.tools![0] as { functionDeclarations: { name: string }[] }).functionDeclarations.map((f) => f.name),
    ).toContain('Read');
    // `display: "omitted"` hides the thoughts; the effort sets the level.
    expect(body.generationConfig).toEqual({ thinkingConfig: { thinkingLevel: 'medium' } });
    expect(body.systemInstruction?.parts.some((part) => part.text.startsWith('x-anthropic-billing-header'))).toBe(
      false,
    );
  });

  it('uses a tool: the model asks to Read a file, Claude Code runs it, and the answer comes after the result', async () => {
    const secret = `contents-${Date.now()}`;
    const file = join(workdir, 'notes.txt');
    writeFileSync(file, `${secret}\n`);
    const seen: string[] = [];
    const firstTurn: Step = () => ({
      reply: functionCallReply({ name: 'Read', args: { file_path: file } }, { modelVersion: 'gemini-pro-latest' }),
    });
    const afterTool: Step = (request) => {
      const result = parts(request).find((part) => part.functionResponse !== undefined)?.functionResponse as
        | { name: string; response: { result?: string } }
        | undefined;
      seen.push(JSON.stringify(result));
      return {
        reply: textReply(
          `The file holds ${result?.response.result?.includes(secret) ? secret : 'nothing I could read'}.`,
          { modelVersion: 'gemini-pro-latest' },
        ),
      };
    };
    stack.fake.script(firstTurn, afterTool);

    const run = await runClaude('What is in notes.txt?', { ANTHROPIC_AUTH_TOKEN: ACCESS_TOKEN });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`The file holds ${secret}.`);
    expect(stack.fake.remainingSteps).toBe(0);

    const calls = generateCalls(stack.fake.requests);
    expect(calls).toHaveLength(2);
    expect(calls.every((call) => call.key === SERVER_KEY)).toBe(true);
    // The second request carried the function call back with the signature Gemini 3 issued (the fake checks it).
    const history = (calls[1]!.body as UpstreamGenerateBody).contents;
    const modelTurn = history.find((content) => content.role === 'model');
    expect(modelTurn?.parts[0]).toMatchObject({
      functionCall: { name: 'Read', args: { file_path: file } },
      thoughtSignature: expect.any(String),
    });
    expect(seen[0]).toContain(secret);
    expect(readFileSync(file, 'utf8')).toBe(`${secret}\n`);
  });
});
