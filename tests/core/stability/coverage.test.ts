import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../../shared/endpoints';

describe('docs/api-coverage.md', () => {
  const doc = readFileSync(new URL('../../../docs/api-coverage.md', import.meta.url), 'utf8');

  it('lists every endpoint and every parameter of the table', () => {
    for (const spec of Object.values(ENDPOINTS)) {
      const start = doc.indexOf(`— \`${spec.method} ${spec.path}\``);
      expect(start, spec.id).toBeGreaterThan(-1);
      const next = doc.indexOf('\n### ', start + 1);
      const section = doc.slice(start, next === -1 ? undefined : next);
      for (const param of spec.params) {
        expect(section, `${spec.id} ${param.name}`).toMatch(
          new RegExp(`\\| \`${param.name}\` +\\| ${param.kind} +\\|`),
        );
      }
    }
  });
});
