/** What the notifier remembers (ids, signatures) lives this long after its last write; a PR's goes when it closes. */
export const NOTIFIER_RETENTION_SECONDS = 30 * 24 * 3600;
