/** A value as a message shows it: strings quoted, objects by their kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'object') return value.constructor?.name && value.constructor !== Object ? value.constructor.name : 'an object';
  return String(value);
}
