export { handleChatCompletions } from './handle-chat-completions';
export { handleEmbeddings } from './handle-embeddings';
export { handleModels } from './handle-models';
