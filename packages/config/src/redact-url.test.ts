import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['a user and password', 'redis://user:s3cret@host:6379/0', 'redis://user:***@host:6379/0'],
    ['a password alone', 'redis://:s3cret@host:6379', 'redis://:***@host:6379'],
    ['TLS', 'rediss://default:s3cret@cache.example.com:6380', 'rediss://default:***@cache.example.com:6380'],
    ['an http URL', 'https://bot:s3cret@api.example.com/status?x=1', 'https://bot:***@api.example.com/status?x=1'],
    ['an @ in the password', 'redis://:s3cr@t@host:6379', 'redis://:***@host:6379'],
    ['a / in the password, which the URL parser cannot read', 'redis://:s3/cret@host:6379', 'redis://:***@host:6379'],
  ])('masks %s', (_case, url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it.each([
    ['no credentials', 'redis://127.0.0.1:6379'],
    ['a user alone', 'redis://user@host:6379'],
    ['text that is no URL', './deploy.sh --fast'],
  ])('leaves a URL with %s as it is', (_case, url) => {
    expect(redactUrl(url)).toBe(url);
  });
});
