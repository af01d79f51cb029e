import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CREATE_ENDPOINTS } from '../../../shared/calls/create';
import { ENDPOINTS } from '../../../shared/endpoints';

describe('docs/api-coverage.md', () => {
  const doc = readFileSync(new URL('../../../docs/api-coverage.md', import.meta.url), 'utf8');

  it('lists every endpoint and every parameter of the table', () => {
    for (const spec of Object.values(ENDPOINTS)) {
      const start = doc.indexOf(`— \`${spec.method} ${spec.path}\``);
      expect(start, spec.id).toBeGreaterThan(-1);
      const next = doc.indexOf('\n### ', start + 1);
      const section = doc.slice(start, next === -1 ? undefined : next);
      // Create's form shows every parameter of the endpoints it sends to.
      const ui = (CREATE_ENDPOINTS as readonly string[]).includes(spec.id) ? 'yes' : 'no';
      for (const param of spec.params) {
        expect(section, `${spec.id} ${param.name}`).toMatch(
          new RegExp(`\\| \`${param.name}\` +\\| ${param.kind} +\\|.*\\| ${ui} +\\|$`, 'm'),
        );
      }
    }
  });

  it('says "yes" in the UI column for exactly the endpoints the app sends', () => {
    // Create's endpoints, the result the Creative upscale polls, and the balance (account.balance).
    const used = new Set<string>([...CREATE_ENDPOINTS, 'results', 'account.balance']);
    for (const spec of Object.values(ENDPOINTS)) {
      const row = doc
        .split('\n')
        .find((line) => line.includes(`| \`${spec.method} ${spec.path}\``));
      expect(row, spec.id).toBeDefined();
      const cells = (row ?? '').split('|').map((cell) => cell.trim());
      expect(cells.at(-2), spec.id).toBe(used.has(spec.id) ? 'yes' : 'no');
    }
  });
});
