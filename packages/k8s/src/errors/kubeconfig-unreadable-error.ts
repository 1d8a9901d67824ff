/** The kubeconfig an environment names cannot be loaded. */
export class KubeconfigUnreadableError extends Error {
  override name = 'KubeconfigUnreadableError';

  constructor(
    readonly path: string,
    readonly setting: string,
    reason: string,
  ) {
    super(`cannot load the kubeconfig ${path} (${reason}), named by ${setting}: check the path and that the file is a kubeconfig`);
  }
}
