/** Objects → OpenAI's SSE framing, `data: {json}\n\n`, closed by `data: [DONE]` when the stream ends well. */
export function createSseEncoder(): TransformStream<unknown, string> {
  return new TransformStream<unknown, string>({
    transform(value, controller) {
      controller.enqueue(`data: ${JSON.stringify(value)}\n\n`);
    },
    flush(controller) {
      controller.enqueue('data: [DONE]\n\n');
    },
  });
}
