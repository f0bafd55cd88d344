/** The trivial forwarder as an edge function script, served by serveEdge like the gateway. */
import { createTrivialForwarder } from './trivial-forwarder';

interface FetchEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}

const forward = createTrivialForwarder(process.env.UPSTREAM ?? '');
(
  globalThis as unknown as { addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void }
).addEventListener('fetch', (event) => event.respondWith(forward(event.request)));
