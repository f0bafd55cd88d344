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
    ],
  },
});
