/**
 * The core's one error that reaches the person as is. A leaf: it imports nothing from the core, so
 * the queue, the settings and the host can throw it without depending on the transport.
 */
import type { z } from 'zod';
import type { ApiErrorBody } from '../../shared/api';

/**
 * An error a handler throws on purpose: it reaches the person as is. Anything else a handler throws
 * is a bug and reaches the person as a generic sentence.
 */
export class PlainError extends Error {
  readonly code: string;
  readonly fields: Record<string, string> | undefined;
  constructor(code: string, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'PlainError';
    this.code = code;
    this.fields = fields;
  }
  toBody(): ApiErrorBody {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

/** Field names come from the payload: shown at most this long. */
const SHOWN_NAME_CHARS = 40;
/** At most this many fields are named in one answer. */
const MAX_FIELDS = 10;

/** A name from a payload, shortened to be shown. */
export function shownName(name: string): string {
  return name.length > SHOWN_NAME_CHARS ? `${name.slice(0, SHOWN_NAME_CHARS)}…` : name;
}

/** Turns zod issues into { field: message }, e.g. { concurrency: 'Too big: expected ...' }. */
export function fieldsFromIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  // A Map: a field named __proto__ or constructor is a field like any other.
  const fields = new Map<string, string>();
  for (const issue of issues) {
    const key =
      issue.path.length > 0
        ? issue.path.map((part) => shownName(String(part))).join('.')
        : '(request)';
    if (fields.has(key)) continue;
    if (fields.size >= MAX_FIELDS) break;
    fields.set(key, issue.message);
  }
  return Object.fromEntries(fields);
}
