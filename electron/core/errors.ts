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

/** Turns zod issues into { field: message }, e.g. { concurrency: 'Too big: expected ...' }. */
export function fieldsFromIssues(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(request)';
    fields[key] ??= issue.message;
  }
  return fields;
}
