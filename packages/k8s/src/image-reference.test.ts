import { describe, expect, it } from '@jest/globals';
import { imageRepository, withTag } from './image-reference.js';

describe('image references', () => {
  it.each([
    ['a bare name', 'api', 'api'],
    ['a tagged name', 'api:v1', 'api'],
    ['a registry with a port', 'reg.local:5000/team/api', 'reg.local:5000/team/api'],
    ['a registry with a port and a tag', 'reg.local:5000/team/api:v1', 'reg.local:5000/team/api'],
    ['a digest', 'ghcr.io/acme/api@sha256:0123abcd', 'ghcr.io/acme/api'],
    ['a tag and a digest', 'ghcr.io/acme/api:v1@sha256:0123abcd', 'ghcr.io/acme/api'],
  ])('the repository of %s', (_name, image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });

  it('retags an image whatever tag or digest it had', () => {
    expect(withTag('reg.local:5000/api:v1@sha256:00', 'abc')).toBe('reg.local:5000/api:abc');
  });
});
