/**
 * How big a request may be before any schema looks at it. A payload from a transport is untrusted:
 * a 100,000-level nesting, a million-element array or megabytes of keys would make the schema
 * library (and every error message built from its issues) spend time and memory on it, or echo it
 * back. The limits sit well above the largest real request (an upload chunk of 512 Ki characters,
 * a delete of 10,000 ids).
 */
export interface RequestBounds {
  /** Objects and arrays inside one another. */
  maxDepth: number;
  /** Values of every kind, counted one each (object keys included). */
  maxValues: number;
  /** Characters of text in all strings and keys together (binary data counts its bytes). */
  maxTextChars: number;
  /** Characters in one object key. */
  maxKeyChars: number;
}

export const REQUEST_BOUNDS: RequestBounds = {
  maxDepth: 32,
  maxValues: 50_000,
  maxTextChars: 2 * 1024 * 1024,
  maxKeyChars: 1024,
};

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call on each value
const arrayBufferBytes = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')
  ?.get as (this: unknown) => number;

/**
 * The bytes of binary data (a typed array, a DataView, an ArrayBuffer), or null for anything else.
 * Never trusts `instanceof`: an object whose prototype is an ArrayBuffer passes it, and reading its
 * byteLength throws.
 */
function binaryBytes(value: object): number | null {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  try {
    return arrayBufferBytes.call(value);
  } catch {
    return null;
  }
}

/**
 * Why a request is too large or too deep, as the end of a sentence, or null when it is within
 * bounds. Walks the value without recursion and stops at the first bound crossed, so the walk itself
 * costs at most about `maxValues` steps.
 */
export function requestOutOfBounds(
  request: unknown,
  bounds: RequestBounds = REQUEST_BOUNDS,
): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value: request, depth: 0 }];
  let values = 0;
  let text = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    values += 1;
    if (values > bounds.maxValues) {
      return `it holds more than ${bounds.maxValues.toLocaleString('en')} values`;
    }
    const bytes = value !== null && typeof value === 'object' ? binaryBytes(value) : null;
    if (typeof value === 'string') {
      text += value.length;
    } else if (bytes !== null) {
      text += bytes;
    } else if (value !== null && typeof value === 'object') {
      if (depth >= bounds.maxDepth) return `it is nested more than ${bounds.maxDepth} levels deep`;
      if (Array.isArray(value)) {
        if (values + value.length > bounds.maxValues) {
          return `it holds more than ${bounds.maxValues.toLocaleString('en')} values`;
        }
        for (const item of value as unknown[]) stack.push({ value: item, depth: depth + 1 });
      } else if (value instanceof Map || value instanceof Set) {
        // Nothing in the contract is a Map or a Set: the schema refuses it without looking inside.
      } else {
        const keys = Object.keys(value);
        if (values + keys.length > bounds.maxValues) {
          return `it holds more than ${bounds.maxValues.toLocaleString('en')} values`;
        }
        for (const key of keys) {
          if (key.length > bounds.maxKeyChars) {
            return `it has a field name longer than ${bounds.maxKeyChars.toLocaleString('en')} characters`;
          }
          text += key.length;
          stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
        }
      }
    }
    if (text > bounds.maxTextChars) {
      return `it holds more than ${Math.round(bounds.maxTextChars / (1024 * 1024))} MiB of text`;
    }
  }
  return null;
}
