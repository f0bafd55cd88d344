/**
 * An AbortController that aborts when the parent signal does. `AbortSignal.any` is missing from the Edge
 * Runtime, so this links by hand; `unlink` removes the listener once the attempt is over, so a long-lived
 * client signal does not collect one listener per attempt.
 */
export function linkAbort(parent: AbortSignal): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, unlink: () => {} };
  }
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, unlink: () => parent.removeEventListener('abort', onAbort) };
}
