/** A listener for one event of an event map. */
export type Listener<T> = (payload: T) => void;

/**
 * A typed event emitter: the map `M` ties each event name to its payload, so
 * a wrong name or payload is a compile error.
 */
export class Emitter<M> {
  private _l: { [K in keyof M]?: Listener<M[K]>[] } = {};

  /** Listens to `event`; returns a function that stops listening. */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    (this._l[event] ||= []).push(listener);
    return () => this.off(event, listener);
  }

  /** Stops `listener` from hearing `event` (once per `on` call). */
  off<K extends keyof M>(event: K, listener: Listener<M[K]>): void {
    const list = this._l[event];
    const i = list ? list.indexOf(listener) : -1;
    // Copy on write so a listener that unsubscribes during emit does not skip its neighbour.
    if (i >= 0) this._l[event] = list!.slice(0, i).concat(list!.slice(i + 1));
  }

  /** @internal */
  _emit<K extends keyof M>(event: K, payload: M[K]): void {
    for (const fn of this._l[event] || []) {
      try {
        fn(payload);
      } catch (e) {
        // A throwing listener must not break the client or the other listeners; surface it asynchronously.
        Promise.reject(e);
      }
    }
  }
}
