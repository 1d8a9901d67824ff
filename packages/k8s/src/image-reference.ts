/** An image reference without its tag and digest: "reg:5000/team/api:v1@sha256:…" → "reg:5000/team/api". */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

/** The same repository at another tag. */
export function withTag(image: string, tag: string): string {
  return `${imageRepository(image)}:${tag}`;
}
