/**
 * The repository (`owner/name`) a webhook is about, read before normalizing it: ingress decides
 * from this alone whether the webhook is for a configured repository. Null when the payload names
 * none (an organization's or the App's own events).
 */
export function webhookRepository(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const name = (payload as { repository?: { full_name?: unknown } | null }).repository?.full_name;
  return typeof name === 'string' && name.length > 0 ? name : null;
}
