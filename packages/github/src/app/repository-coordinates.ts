/** `owner/name` as the REST API's path parameters take it. */
export interface RepositoryCoordinates {
  owner: string;
  repo: string;
}

export function repositoryCoordinates(name: string): RepositoryCoordinates {
  const [owner = '', repo = ''] = name.split('/');
  return { owner, repo };
}
