/**
 * Failures of a Smart Glocal call. They carry only what Smart Glocal said (or the HTTP status) —
 * never the request body, which may hold card data.
 */
export class SmartGlocalApiError extends Error {
  constructor(
    /** The HTTP status of the answer; null when no answer came (connection refused, reset). */
    readonly httpStatus: number | null,
    /** Smart Glocal's `error.code`, or ours (`http_500`, `invalid_response`, `network_error`). */
    readonly code: string,
    readonly description: string,
    readonly method: string,
  ) {
    super(`Smart Glocal ${method}: ${code}: ${description}`);
    this.name = 'SmartGlocalApiError';
  }
}

/** No answer within the client's `timeoutMs`. */
export class SmartGlocalTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`Smart Glocal ${method} did not answer within ${timeoutMs} ms`);
    this.name = 'SmartGlocalTimeoutError';
  }
}

/** A notification whose signature does not verify with Smart Glocal's public key. */
export class SmartGlocalSignatureError extends Error {
  constructor(message = 'Smart Glocal notification signature does not verify') {
    super(message);
    this.name = 'SmartGlocalSignatureError';
  }
}

/** A notification that verifies but is not the documented shape. */
export class SmartGlocalMalformedNotification extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmartGlocalMalformedNotification';
  }
}
