export { handleMessages } from './handle-messages';
export { handleCountTokens } from './handle-count-tokens';
export { handleAnthropicModels } from './handle-anthropic-models';
export { toAnthropicError } from './to-anthropic-error';
