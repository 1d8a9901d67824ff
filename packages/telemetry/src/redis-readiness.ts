/** A readiness check that PINGs Redis, bounded so a hung connection reads as not ready. */
export function redisReadiness(redis: { ping(): Promise<string> }, timeoutMs = 1000) {
  return async (): Promise<{ ok: boolean; detail?: string }> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        redis.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { ok: answer === 'PONG', detail: answer };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  };
}
