import { ApiException } from '@kubernetes/client-node';

/** The Status object the API server sent with an error, when there is one. */
export function apiStatus(err: unknown): { code: number; reason: string | null; message: string | null } | null {
  if (!(err instanceof ApiException)) return null;
  const code = (err as ApiException<unknown>).code;
  let body: unknown = (err as ApiException<unknown>).body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return { code, reason: null, message: text.trim() || null };
    }
  }
  const status = body as { kind?: unknown; reason?: unknown; message?: unknown } | undefined;
  return {
    code,
    reason: typeof status?.reason === 'string' ? status.reason : null,
    message: typeof status?.message === 'string' ? status.message : null,
  };
}

/** An error from a Kubernetes API call in one line: "404 NotFound: deployments.apps "api" not found". */
export function describeApiError(err: unknown): string {
  const status = apiStatus(err);
  if (status) return [`${status.code}${status.reason ? ` ${status.reason}` : ''}`, status.message].filter(Boolean).join(': ');
  return (err as Error)?.message ?? String(err);
}
