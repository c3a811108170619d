// A fetch whose every request stays pending until the test answers it: the
// deterministic way to hold a long poll or a POST in flight.

export interface FakeRequest {
  url: URL;
  method: string;
  /** The request body as text ('' for none). */
  body: string;
  /** Whether the client aborted it. */
  aborted: boolean;
  /** Whether it was answered (or failed, or aborted). */
  done: boolean;
  keepalive: boolean;
  credentials?: RequestCredentials;
  /** Answers it: a non-string body is JSON-encoded. */
  respond(status: number, body?: unknown): void;
  /** The network fails (fetch rejects with a TypeError, as browsers do). */
  fail(): void;
  /** The JSON body, parsed. */
  json(): any;
}

export interface FakeFetch {
  fetch: typeof fetch;
  requests: FakeRequest[];
  /** Requests to `path` (the end of the URL's path) not answered yet, oldest first. */
  pending(path: string): FakeRequest[];
  /** The only pending request to `path`; throws if there is not exactly one. */
  one(path: string): FakeRequest;
}

export function makeFakeFetch(): FakeFetch {
  const requests: FakeRequest[] = [];
  const fetch = ((input: string | URL, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const req: FakeRequest = {
        url: new URL(String(input)),
        method: init.method || 'GET',
        body: typeof init.body == 'string' ? init.body : '',
        aborted: false,
        done: false,
        keepalive: !!init.keepalive,
        credentials: init.credentials,
        respond(status, body) {
          if (req.done) throw new Error('request already settled: ' + req.url);
          req.done = true;
          const text = body === undefined ? '' : typeof body == 'string' ? body : JSON.stringify(body);
          resolve({ status, ok: status >= 200 && status < 300, text: () => Promise.resolve(text) } as Response);
        },
        fail() {
          if (req.done) throw new Error('request already settled: ' + req.url);
          req.done = true;
          reject(new TypeError('Failed to fetch'));
        },
        json: () => JSON.parse(req.body),
      };
      init.signal?.addEventListener('abort', () => {
        if (req.done) return;
        req.done = req.aborted = true;
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      });
      requests.push(req);
    })) as typeof globalThis.fetch;
  const pending = (path: string) => requests.filter((r) => !r.done && r.url.pathname.endsWith(path));
  return {
    fetch,
    requests,
    pending,
    one(path) {
      const p = pending(path);
      if (p.length != 1) throw new Error(p.length + ' pending requests to ' + path + ', expected 1');
      return p[0]!;
    },
  };
}
