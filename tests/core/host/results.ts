/** Reading a host's CallResult in tests: the value of a success, or the error of a failure. */
import type { CallResult } from '../../../shared/api';

export function value(result: CallResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.value as Record<string, unknown>;
}

export function failure(result: CallResult) {
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result)}`);
  return result.error;
}
