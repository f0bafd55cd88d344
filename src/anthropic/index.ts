export { handleAnthropicModels } from './handle-anthropic-models';
export { handleCountTokens } from './handle-count-tokens';
export { handleMessages } from './handle-messages';
export { toAnthropicError } from './to-anthropic-error';
