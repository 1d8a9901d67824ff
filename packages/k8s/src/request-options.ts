import { Observable, setHeaderOptions, type ConfigurationOptions, type ObservableMiddleware, type PatchStrategy, type RequestContext } from '@kubernetes/client-node';

/**
 * Per-request client-node options: the abort signal (a cancelled cycle stops a request in flight)
 * and, for a PATCH, its content type. client-node 1.x sends PATCH bodies as JSON Patch unless told
 * otherwise, so every patch must name its strategy.
 */
export function requestOptions(options: { signal?: AbortSignal; patch?: PatchStrategy }): ConfigurationOptions<ObservableMiddleware> {
  const { signal, patch } = options;
  const withSignal: ConfigurationOptions<ObservableMiddleware> = signal
    ? {
        middleware: [
          {
            pre: (request: RequestContext) => {
              request.setSignal(signal);
              return new Observable(Promise.resolve(request));
            },
            post: (response) => new Observable(Promise.resolve(response)),
          },
        ],
        middlewareMergeStrategy: 'append',
      }
    : {};
  return patch ? setHeaderOptions('Content-Type', patch, withSignal) : withSignal;
}
