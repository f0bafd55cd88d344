import type { EdgeServer } from '../../../src/local/serve-edge';
import { startGateway } from '../../../src/local/start';
import { type FakeGemini, startFakeGemini } from '../../fake-gemini';

export interface Stack {
  fake: FakeGemini;
  gateway: EdgeServer;
  /** The gateway's origin, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every line the gateway logged, in order. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * The real thing on loopback: the fake Gemini upstream, and the gateway bundled and served from the Edge
 * Runtime exactly as `npm start` does, pointed at the fake.
 */
export async function startStack(
  env: Record<string, string> = {},
  fakeOptions: Parameters<typeof startFakeGemini>[0] = {},
): Promise<Stack> {
  const fake = await startFakeGemini(fakeOptions);
  const logs: string[] = [];
  const gateway = await startGateway({
    env: { GEMINI_BASE_URL: fake.origin, LOG_LEVEL: 'error', ...env },
    onLog: (line) => logs.push(line),
  });
  return {
    fake,
    gateway,
    url: gateway.url,
    logs,
    close: async () => {
      await gateway.close();
      await fake.close();
    },
  };
}
