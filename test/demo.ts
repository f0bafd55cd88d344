import { parsePort, startGateway } from '../src/local/start';
import { startFakeGemini } from './fake-gemini';

// `npm run demo`: the gateway in front of the in-repo fake Gemini — try it with any key and no network.
const fake = await startFakeGemini({ port: 0, chunkDelayMs: 150 });
const gateway = await startGateway({
  env: { ...process.env, GEMINI_BASE_URL: fake.origin },
  port: parsePort(process.env.PORT, 3000),
});
console.error(`fake Gemini upstream on ${fake.origin}`);
console.error(
  `gemini-balance-lite demo on ${gateway.url} — any key works; keys starting with bad-, leaked-, quota-, quotaday-, down-, err500-, drop- or stall- fail like real ones`,
);
const stop = () => void Promise.all([gateway.close(), fake.close()]).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
