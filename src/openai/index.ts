export { handleChatCompletions } from './chat/handle-chat-completions';
export { handleEmbeddings } from './embeddings/handle-embeddings';
export { handleImageEdits } from './images/handle-image-edits';
export { handleImageGenerations } from './images/handle-image-generations';
export { handleModels } from './models/handle-models';
