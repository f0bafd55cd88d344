export { handleChatCompletions } from './handle-chat-completions';
export { handleEmbeddings } from './handle-embeddings';
export { handleModels } from './handle-models';
export { handleImageEdits } from './images/handle-image-edits';
export { handleImageGenerations } from './images/handle-image-generations';
