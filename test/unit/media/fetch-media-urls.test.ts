import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../src/context';
import { GatewayError } from '../../../src/errors';
import { fetchMediaUrls as fetchUrls } from '../../../src/media/fetch-media-urls';
import { chatRequestSchema } from '../../../src/openai/chat/chat-request-schema';
import { collectMediaUrls } from '../../../src/openai/chat/collect-media-urls';
import { testContext } from '../openai/helpers';

/** What the chat handler does: find the request's media URLs, then download them. */
const fetchMediaUrls = (messages: Parameters<typeof collectMediaUrls>[0], ctx: RequestContext) =>
  fetchUrls(collectMediaUrls(messages), ctx);

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const messagesWith = (...urls: string[]) =>
  chatRequestSchema.parse({
    model: 'm',
    messages: [
      { role: 'system', content: 'https://ignored.example/x.png' },
      {
        role: 'user',
        content: [{ type: 'text', text: 'look' }, ...urls.map((url) => ({ type: 'image_url', image_url: { url } }))],
      },
    ],
  }).messages;

interface Seen {
  url: string;
  redirect: RequestRedirect | undefined;
}

function stubFetch(routes: Record<string, () => Response | Promise<Response>>) {
  const seen: Seen[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    seen.push({ url, redirect: init?.redirect });
    const route = routes[url];
    if (!route) throw new TypeError('fetch failed');
    return route();
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('collectMediaUrls', () => {
  it('finds https image and file URLs of user messages once each, with their field', () => {
    const messages = chatRequestSchema.parse({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'https://a.example/1.png' } },
            { type: 'image_url', image_url: 'https://a.example/2.png' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'file', file: { file_data: 'https://a.example/doc.pdf' } },
          ],
        },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://a.example/1.png' } }] },
      ],
    }).messages;
    expect(collectMediaUrls(messages)).toEqual([
      { url: 'https://a.example/1.png', param: 'messages[0].content[0].image_url.url' },
      { url: 'https://a.example/2.png', param: 'messages[0].content[1].image_url' },
      { url: 'https://a.example/doc.pdf', param: 'messages[0].content[3].file.file_data' },
    ]);
  });
});

describe('fetchMediaUrls', () => {
  it('fetches without following redirects itself and takes the media type from Content-Type', async () => {
    const { fetch, seen } = stubFetch({
      'https://img.example/cat': () =>
        new Response(PNG_BYTES, { headers: { 'content-type': 'image/png; charset=binary' } }),
    });
    const { ctx } = testContext({ fetch });
    const media = await fetchMediaUrls(messagesWith('https://img.example/cat'), ctx);
    expect(media.get('https://img.example/cat')).toEqual({
      mimeType: 'image/png',
      data: btoa(String.fromCharCode(...PNG_BYTES)),
    });
    expect(seen).toEqual([{ url: 'https://img.example/cat', redirect: 'manual' }]);
  });

  it('sniffs the type when the server says octet-stream', async () => {
    const { fetch } = stubFetch({
      'https://img.example/x': () =>
        new Response(PNG_BYTES, { headers: { 'content-type': 'application/octet-stream' } }),
    });
    const media = await fetchMediaUrls(messagesWith('https://img.example/x'), testContext({ fetch }).ctx);
    expect(media.get('https://img.example/x')?.mimeType).toBe('image/png');
  });

  it('follows up to three redirects, checking each target', async () => {
    const { fetch, seen } = stubFetch({
      'https://a.example/1': () => new Response(null, { status: 302, headers: { location: '/2' } }),
      'https://a.example/2': () => new Response(null, { status: 301, headers: { location: 'https://b.example/3' } }),
      'https://b.example/3': () =>
        new Response(null, { status: 307, headers: { location: 'https://c.example/img.png' } }),
      'https://c.example/img.png': () => new Response(PNG_BYTES, { headers: { 'content-type': 'image/png' } }),
    });
    const media = await fetchMediaUrls(messagesWith('https://a.example/1'), testContext({ fetch }).ctx);
    expect(media.get('https://a.example/1')?.mimeType).toBe('image/png');
    expect(seen.map((s) => s.url)).toEqual([
      'https://a.example/1',
      'https://a.example/2',
      'https://b.example/3',
      'https://c.example/img.png',
    ]);
  });

  it.each([
    [
      'a redirect to a private address',
      {
        'https://a.example/1': () =>
          new Response(null, { status: 302, headers: { location: 'https://169.254.169.254/latest' } }),
      },
      'not public',
    ],
    [
      'a redirect to http',
      { 'https://a.example/1': () => new Response(null, { status: 302, headers: { location: 'http://a.example/2' } }) },
      'https',
    ],
    [
      'four redirects',
      {
        'https://a.example/1': () => new Response(null, { status: 302, headers: { location: '/2' } }),
        'https://a.example/2': () => new Response(null, { status: 302, headers: { location: '/3' } }),
        'https://a.example/3': () => new Response(null, { status: 302, headers: { location: '/4' } }),
        'https://a.example/4': () => new Response(null, { status: 302, headers: { location: '/5' } }),
      },
      'redirected more than 3 times',
    ],
    ['an HTTP error', { 'https://a.example/1': () => new Response('nope', { status: 404 }) }, 'HTTP 404'],
    ['a network error', {}, 'network error'],
    ['an unknown type', { 'https://a.example/1': () => new Response(new Uint8Array([1, 2, 3])) }, 'media type'],
  ])('refuses %s with a 400 naming the field', async (_name, routes, fragment) => {
    const { fetch } = stubFetch(routes);
    const error = await failure(fetchMediaUrls(messagesWith('https://a.example/1'), testContext({ fetch }).ctx));
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[1].content[1].image_url.url');
    expect(error.message).toContain(fragment);
  });

  it.each([
    'http://img.example/a.png',
    'https://localhost/a.png',
    'https://10.0.0.1/a.png',
    'https://[::1]/a.png',
    'https://0x7f.1/a.png',
  ])('never fetches %s', async (url) => {
    const { fetch, seen } = stubFetch({});
    const error = await failure(fetchMediaUrls(messagesWith(url), testContext({ fetch }).ctx));
    expect(error.status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('stops reading at the size cap', async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const { fetch } = stubFetch({
      'https://a.example/big': () => new Response(endless, { headers: { 'content-type': 'image/png' } }),
    });
    const error = await failure(
      fetchMediaUrls(
        messagesWith('https://a.example/big'),
        testContext({ fetch, env: { MEDIA_MAX_BYTES: '4096' } }).ctx,
      ),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('MEDIA_MAX_BYTES');
    expect(pulls).toBeLessThan(10);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const { fetch } = stubFetch({
      'https://a.example/big': () =>
        new Response('x', { headers: { 'content-type': 'image/png', 'content-length': '999999' } }),
    });
    const error = await failure(
      fetchMediaUrls(
        messagesWith('https://a.example/big'),
        testContext({ fetch, env: { MEDIA_MAX_BYTES: '4096' } }).ctx,
      ),
    );
    expect(error.message).toContain('MEDIA_MAX_BYTES');
  });

  it('gives up after MEDIA_TIMEOUT_MS, naming the message', async () => {
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof globalThis.fetch;
    const error = await failure(
      fetchMediaUrls(
        messagesWith('https://slow.example/a.png'),
        testContext({ fetch, env: { MEDIA_TIMEOUT_MS: '20' } }).ctx,
      ),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[1].content[1].image_url.url');
    expect(error.message).toContain('did not answer within 20 ms');
  });

  it('adds one abort listener to the client signal however many URLs a request has', async () => {
    const urls = Array.from({ length: 12 }, (_, i) => `https://img.example/${i}.png`);
    const { fetch } = stubFetch(
      Object.fromEntries(
        urls.map((url) => [url, () => new Response(PNG_BYTES, { headers: { 'content-type': 'image/png' } })]),
      ),
    );
    const client = new AbortController();
    let listeners = 0;
    let removed = 0;
    const add = client.signal.addEventListener.bind(client.signal);
    const remove = client.signal.removeEventListener.bind(client.signal);
    client.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners += 1;
      add(...args);
    }) as AbortSignal['addEventListener'];
    client.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      removed += 1;
      remove(...args);
    }) as AbortSignal['removeEventListener'];
    const media = await fetchMediaUrls(messagesWith(...urls), testContext({ fetch, signal: client.signal }).ctx);
    expect(media.size).toBe(12);
    expect(listeners).toBe(1);
    expect(removed).toBe(1);
  });

  it('aborts the other downloads when one URL fails, and names the one that failed', async () => {
    const aborted: string[] = [];
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.endsWith('/bad.png')) return Promise.resolve(new Response('gone', { status: 410 }));
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted.push(url);
          reject(init.signal?.reason);
        });
      });
    }) as typeof globalThis.fetch;
    const error = await failure(
      fetchMediaUrls(
        messagesWith('https://slow.example/a.png', 'https://slow.example/bad.png', 'https://slow.example/c.png'),
        testContext({ fetch }).ctx,
      ),
    );
    expect(error.param).toBe('messages[1].content[2].image_url.url');
    expect(error.message).toContain('HTTP 410');
    expect(aborted.sort()).toEqual(['https://slow.example/a.png', 'https://slow.example/c.png']);
  });

  it('names the URL that timed out, not the others it cancelled', async () => {
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/fast.png')
        ? Promise.resolve(new Response(PNG_BYTES, { headers: { 'content-type': 'image/png' } }))
        : new Promise<Response>((_resolve, reject) => {
            init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
          })) as typeof globalThis.fetch;
    const error = await failure(
      fetchMediaUrls(
        messagesWith('https://a.example/fast.png', 'https://a.example/slow.png'),
        testContext({ fetch, env: { MEDIA_TIMEOUT_MS: '20' } }).ctx,
      ),
    );
    expect(error.param).toBe('messages[1].content[2].image_url.url');
    expect(error.message).toContain('did not answer within 20 ms');
  });

  it('explains that URL fetching is off when FETCH_MEDIA_URLS=false', async () => {
    const { fetch, seen } = stubFetch({});
    const error = await failure(
      fetchMediaUrls(
        messagesWith('https://img.example/a.png'),
        testContext({ fetch, env: { FETCH_MEDIA_URLS: 'false' } }).ctx,
      ),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('FETCH_MEDIA_URLS=false');
    expect(seen).toEqual([]);
  });

  it('does nothing for data URLs, even with fetching off', async () => {
    const media = await fetchMediaUrls(
      messagesWith('data:image/png;base64,AAAA'),
      testContext({ env: { FETCH_MEDIA_URLS: 'false' } }).ctx,
    );
    expect(media.size).toBe(0);
  });
});
