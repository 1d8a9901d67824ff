import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './errors/config-error.js';

/** YAML text → plain data; syntax errors become a ConfigError with line and column. */
export function parseYamlText(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${source}: line ${line}, column ${col}: invalid YAML: ${error.message}`;
      }),
    );
  }
  return document.toJS() as unknown;
}
