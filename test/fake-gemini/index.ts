/** The in-repo fake Gemini upstream used by the tests and `npm run demo`. */

export type { FunctionCallSpec, ReplyOptions } from './builders';
export { blockedReply, functionCallReply, textChunks, textReply } from './builders';
export type { GoogleErrorBody } from './errors';
export { keyErrorBody } from './key-behaviour';
export { DEFAULT_PAGE_SIZE, MODELS } from './models';
export { THOUGHT_TEXT } from './replies';
export { startFakeGemini } from './server';
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
