/**
 * When a windowed aggregation forwards results: on every update (the default; deduplicated by the store cache
 * when caching is on), or once per window when it closes (stream time reaches end + grace).
 */
export class EmitStrategy {
  private static readonly UPDATE = new EmitStrategy('onWindowUpdate');
  private static readonly CLOSE = new EmitStrategy('onWindowClose');

  private constructor(readonly type: 'onWindowUpdate' | 'onWindowClose') {}

  static onWindowUpdate(): EmitStrategy {
    return EmitStrategy.UPDATE;
  }

  static onWindowClose(): EmitStrategy {
    return EmitStrategy.CLOSE;
  }
}
