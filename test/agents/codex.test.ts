import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../e2e/support/stack';
import { functionCallReply, type RecordedRequest, textChunks } from '../fake-gemini';
import { installAgent } from './install-agent';

/**
 * Codex CLI itself against the real gateway and the strict fake Gemini: `codex exec` with a CODEX_HOME whose
 * model provider is the gateway's `/v1` with `wire_api = "responses"` — the setup the README gives users.
 */
const CODEX = { name: '@openai/codex', version: '0.171.0', bin: 'codex' } as const;
/** What a Codex user on this gateway writes as the model: a Gemini alias. */
const MODEL = 'gemini-flash-latest';
/** A model whose thought signatures the fake checks in the history, as Gemini 3 does. */
const SIGNING_MODEL = 'gemini-pro-latest';

let codex: string;
let stack: Stack;
let home: string;
let work: string;
beforeAll(async () => {
  codex = await installAgent(CODEX);
  stack = await startStack({}, { chunkDelayMs: 0 });
  home = mkdtempSync(join(tmpdir(), 'codex-home-'));
  work = mkdtempSync(join(tmpdir(), 'codex-work-'));
  writeFileSync(
    join(home, 'config.toml'),
    [
      `model = "${MODEL}"`,
      'model_provider = "gateway"',
      '',
      '[model_providers.gateway]',
      'name = "Gemini gateway"',
      `base_url = "${stack.url}/v1"`,
      'wire_api = "responses"',
      'env_key = "GEMINI_GATEWAY_KEY"',
      // A failure should fail the test, not be retried for a minute.
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await stack?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});
beforeEach(() => stack.fake.reset());

interface RunOptions {
  model?: string;
  /** Codex's exec default is read-only; the tests let the shell command run unsandboxed. */
  sandbox?: 'read-only' | 'danger-full-access';
}

function runCodex(prompt: string, options: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { model = MODEL, sandbox = 'danger-full-access' } = options;
  return new Promise((resolve) => {
    const child = execFile(
      codex,
      ['exec', '--skip-git-repo-check', '--sandbox', sandbox, '--model', model, prompt],
      {
        cwd: work,
        timeout: 90_000,
        env: { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: home, GEMINI_GATEWAY_KEY: 'codex-test-key' },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    // `codex exec` reads more prompt from a stdin that is not a terminal until it closes.
    child.stdin?.end();
  });
}

const generateCalls = (requests: readonly RecordedRequest[]) =>
  requests.filter((r) => r.path.endsWith(':streamGenerateContent'));

describe('codex exec through the gateway', () => {
  it('answers a plain prompt', async () => {
    stack.fake.script({ chunks: textChunks('Hello from Gemini via the gateway.') });
    const run = await runCodex('Say hello.');
    expect(run.stderr + run.stdout).toContain('Hello from Gemini via the gateway.');
    expect(run.code).toBe(0);
    const [call] = generateCalls(stack.fake.requests);
    expect(call?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent`);
    expect(call?.key).toBe('codex-test-key');
  });

  it('runs the shell command the model asks for and answers after seeing its output; the thought signature comes back', async () => {
    let sawOutput = '';
    let signature: unknown;
    stack.fake.script(
      { reply: functionCallReply({ name: 'exec_command', args: { cmd: 'echo gateway-$((40 + 2))' } }) },
      (request) => {
        const contents = (
          request.body as {
            contents: {
              role: string;
              parts: {
                functionResponse?: { name: string; response: Record<string, unknown> };
                thoughtSignature?: string;
              }[];
            }[];
          }
        ).contents;
        signature = contents.find((content) => content.role === 'model')?.parts[0]?.thoughtSignature;
        const response = contents
          .flatMap((content) => content.parts)
          .find((part) => part.functionResponse)?.functionResponse;
        sawOutput = JSON.stringify(response ?? null);
        return {
          chunks: textChunks(
            sawOutput.includes('gateway-42') ? 'The command printed gateway-42.' : 'I did not see the output.',
          ),
        };
      },
    );
    const run = await runCodex('Run the echo command and tell me what it printed.', { model: SIGNING_MODEL });
    expect(sawOutput).toContain('exec_command');
    expect(sawOutput).toContain('gateway-42');
    expect(run.stderr + run.stdout).toContain('The command printed gateway-42.');
    expect(run.code).toBe(0);
    expect(generateCalls(stack.fake.requests)).toHaveLength(2);
    // The signature the fake issued with the call, kept in a reasoning item's encrypted_content by Codex.
    expect(signature).toEqual(expect.any(String));
    expect(signature).not.toBe('skip_thought_signature_validator');
  });

  it('Codex’s web search never reaches Gemini beside its functions (live with full access, cached in the sandbox)', async () => {
    stack.fake.script({ chunks: textChunks('Answered.') }, { chunks: textChunks('Answered again.') });
    const live = await runCodex('Look it up.', { model: SIGNING_MODEL });
    expect(live.stderr + live.stdout).toContain('Answered.');
    const cached = await runCodex('Look it up.', { model: SIGNING_MODEL, sandbox: 'read-only' });
    expect(cached.stderr + cached.stdout).toContain('Answered again.');
    for (const request of generateCalls(stack.fake.requests)) {
      const tools = (request.body as { tools?: Record<string, unknown>[] }).tools ?? [];
      expect(tools.map((tool) => Object.keys(tool))).toEqual([['functionDeclarations']]);
    }
    expect(generateCalls(stack.fake.requests)).toHaveLength(2);
  });
});
