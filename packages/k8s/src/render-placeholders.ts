/** A copy of `value` with every `{{ name }}` in its strings replaced by `values[name]` (unknown names are left as written). */
export function renderPlaceholders<T>(value: T, values: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') return value.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, name: string) => values[name] ?? whole) as T;
  if (Array.isArray(value)) return value.map((item) => renderPlaceholders(item, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderPlaceholders(item, values)])) as T;
  }
  return value;
}
