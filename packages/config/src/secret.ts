import { inspect } from 'node:util';
import { SecretNotSetError } from './errors/secret-not-set-error.js';

const MASK = '***';
const UNSET = '(unset)';

/**
 * A secret read from env or a file. Every way of turning it into text (String, JSON, util.inspect,
 * a template literal, a logger) prints "***" or "(unset)"; only `reveal()` gives the value, so a
 * secret never ends up in a log by accident.
 */
export class Secret {
  readonly #value: string | null;
  /** Where the value came from, for messages: "env GITHUB_WEBHOOK_SECRET" or "file /run/secrets/key". */
  readonly source: string;

  constructor(value: string | null, source: string) {
    this.#value = value === '' ? null : value;
    this.source = source;
  }

  static fromEnv(name: string, env: NodeJS.ProcessEnv): Secret {
    return new Secret(env[name] ?? null, `env ${name}`);
  }

  get isSet(): boolean {
    return this.#value !== null;
  }

  reveal(): string {
    if (this.#value === null) throw new SecretNotSetError(this.source);
    return this.#value;
  }

  toString(): string {
    return this.isSet ? MASK : UNSET;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
