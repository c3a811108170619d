import { RealtimeError, serverError, TimeoutError } from './errors';
import type { Envelope } from './protocol';
import type { Timers } from './platform';

type Pending = [(env: Envelope) => void, (e: Error) => void];

/** Requests waiting for their reply (PROTOCOL.md section 5.5), each with its own deadline. */
export class Requests {
  private _p: Record<string, Pending> = {};
  private _n = 0;

  constructor(private _t: Timers) {}

  /** Registers a request; returns its id and the promise of its reply's `data`. */
  _add<T>(type: string, timeout: number): [string, Promise<T>] {
    const id = String(++this._n);
    const promise = new Promise<T>((resolve, reject) => {
      const timer = this._t.setTimeout(() => this._end(id, new TimeoutError('request "' + type + '" got no reply within ' + timeout + ' ms', timeout)), timeout);
      const done = (f: () => void) => {
        this._t.clearTimeout(timer);
        delete this._p[id];
        f();
      };
      this._p[id] = [
        (env) => {
          const e = env.error;
          done(() => (e ? reject(serverError(e, 'request failed')) : resolve(env.data as T)));
        },
        (err) => done(() => reject(err)),
      ];
    });
    return [id, promise];
  }

  /** Settles the request `env` answers; returns false if it answers none (a late or foreign reply). */
  _reply(env: Envelope): boolean {
    const p = typeof env.re == 'string' && this._p[env.re];
    if (p) p[0](env);
    return !!p;
  }

  /** Rejects every pending request (the client closed). */
  _failAll(reason: string): void {
    for (const id in this._p) this._end(id, new RealtimeError('request not answered: ' + reason));
  }

  private _end(id: string, e: Error): void {
    this._p[id]?.[1](e);
  }
}
