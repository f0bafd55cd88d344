/** The in-repo fake Gemini upstream used by the tests and `npm run demo`. */
export { startFakeGemini } from './server';
export { blockedReply, functionCallReply, textChunks, textReply } from './builders';
export type { FunctionCallSpec, ReplyOptions } from './builders';
export { keyErrorBody } from './key-behaviour';
export type { GoogleErrorBody } from './errors';
export { DEFAULT_PAGE_SIZE, MODELS } from './models';
export { THOUGHT_TEXT } from './replies';
export { DUMMY_SIGNATURE } from './thought-signatures';
export type {
  FakeGemini,
  FaultKind,
  GeminiCandidateJSON,
  GeminiPartJSON,
  GeminiResponseJSON,
  GeminiUsageJSON,
  KeyBehaviour,
  KeyErrorKind,
  RecordedRequest,
  StartOptions,
  Step,
} from './types';
