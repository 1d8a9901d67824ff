/** The context an environment names is not in its kubeconfig. */
export class KubeContextNotFoundError extends Error {
  override name = 'KubeContextNotFoundError';

  constructor(
    readonly context: string,
    readonly source: string,
    available: string[],
    setting: string,
  ) {
    super(
      `the kubeconfig ${source} has no context "${context}" (named by ${setting}); it has ${available.length > 0 ? available.map((c) => `"${c}"`).join(', ') : 'none'}: fix the context name or point kubeconfig at the right file`,
    );
  }
}
