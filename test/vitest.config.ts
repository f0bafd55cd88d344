import { defineConfig } from 'vitest/config';

// Two projects: pure modules run inside Vercel's Edge Runtime (the platform the handler ships to);
// end-to-end tests need Node to start real servers and the official SDK clients.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          root: new URL('..', import.meta.url).pathname,
          include: ['test/unit/**/*.test.ts'],
          environment: 'edge-runtime',
        },
      },
      {
        test: {
          name: 'e2e',
          root: new URL('..', import.meta.url).pathname,
          include: ['test/e2e/**/*.test.ts', 'test/fake-gemini/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The real coding agents (Claude Code, Codex) against the gateway: the first run installs them into
        // .cache/agents (test/agents/install-agent.ts), hence the long hook timeout.
        test: {
          name: 'agents',
          root: new URL('..', import.meta.url).pathname,
          include: ['test/agents/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
