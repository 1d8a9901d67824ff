import type { TemplateValues } from './template-values.js';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

function text(values: TemplateValues, name: string): string | undefined {
  const value = (values as unknown as Record<string, unknown>)[name];
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : undefined;
}

/**
 * Fills `{{name}}` in a string (components joined by ","). `url: true` percent-encodes each value,
 * so a value never changes the URL's shape. Unknown names stay as written (config checks them).
 */
export function renderTemplate(template: string, values: TemplateValues, options: { url?: boolean } = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = text(values, name);
    if (value === undefined) return whole;
    return options.url === true ? encodeURIComponent(value) : value;
  });
}
