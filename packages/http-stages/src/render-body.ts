import { renderTemplate } from './render-template.js';
import type { TemplateValues } from './template-values.js';

const WHOLE_COMPONENTS = /^\{\{\s*components\s*\}\}$/;

/**
 * A copy of a JSON body template with its strings' placeholders filled in. A string that is only
 * "{{components}}" becomes the list itself (a JSON array); inside other text it is joined by ",".
 */
export function renderBody(body: unknown, values: TemplateValues): unknown {
  if (typeof body === 'string') return WHOLE_COMPONENTS.test(body) ? [...values.components] : renderTemplate(body, values);
  if (Array.isArray(body)) return body.map((item) => renderBody(item, values));
  if (body !== null && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([key, item]) => [key, renderBody(item, values)]));
  return body;
}
