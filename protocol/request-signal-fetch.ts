/**
 * `fetch` for the MCP SDK's Streamable HTTP client transport.
 *
 * On a 2025-era session the transport gives every POST the same long-lived signal (its own, aborted by
 * close()). Node's fetch adds an abort listener to the signal it is given and removes it only when that
 * request is garbage-collected, so a busy session piles listeners onto the one signal — one per call until a
 * full GC — and past 1,500 Node prints a MaxListenersExceededWarning for every further call (on the daemon's
 * log, or across the dashboard's screen). Here each request gets a signal of its own that follows the given
 * one (AbortSignal.any adds no listener to its sources): the request's listener goes with the request.
 */
export const fetchWithRequestSignal = (input: string | URL, init?: RequestInit): Promise<Response> =>
  fetch(input, init?.signal ? { ...init, signal: AbortSignal.any([init.signal]) } : init);
