// The part of the Workers runtime module this adapter uses; workerd provides it, nothing is bundled.
declare module 'cloudflare:workers' {
  import type { DurableObjectStateLike } from './platform.ts';

  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectStateLike;
    protected readonly env: Env;
    constructor(ctx: DurableObjectStateLike, env: Env);
  }
}
