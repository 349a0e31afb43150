/** What can go wrong talking to Spayon, without ever carrying credentials or tokens. */
export type SpayonOperation = 'token' | 'createSession' | 'getSession';

export abstract class SpayonError extends Error {
  constructor(
    readonly operation: SpayonOperation,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Spayon answered with an error status (or a 2xx we cannot read). The docs do not show an error
 * body, so `code` is the body's `code` when it has one, else `http_<status>`; `message` is the
 * body's message when it has one.
 */
export class SpayonApiError extends SpayonError {
  constructor(
    operation: SpayonOperation,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(operation, message);
  }
}

/** Spayon did not answer within `timeoutMs`; the request may or may not have taken effect. */
export class SpayonTimeoutError extends SpayonError {
  constructor(
    operation: SpayonOperation,
    readonly timeoutMs: number,
  ) {
    super(operation, `Spayon did not answer ${operation} within ${timeoutMs} ms`);
  }
}

/** No HTTP answer at all (connection refused, reset, DNS). */
export class SpayonNetworkError extends SpayonError {
  constructor(
    operation: SpayonOperation,
    readonly code: string,
  ) {
    super(operation, `Spayon could not be reached for ${operation} (${code})`);
  }
}
