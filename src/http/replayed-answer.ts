/** A stored answer sent again byte for byte (an idempotent replay), rendered by the exception filter. */
export class ReplayedAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super('replayed idempotent answer');
  }
}
