export { handleChatCompletions } from './chat/handle-chat-completions';
export { handleEmbeddings } from './embeddings/handle-embeddings';
export { handleModels } from './models/handle-models';
