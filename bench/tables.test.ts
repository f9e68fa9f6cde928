import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderTables } from './tables.js';

const doc = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'performance.md');

describe('docs/performance.md', () => {
  it('should quote every benchmark table exactly as the result files give it (npm run bench:tables)', () => {
    const text = readFileSync(doc, 'utf8');
    const tables = renderTables();
    expect([...tables.keys()]).toContain('train-step (MAE)');
    for (const [name, table] of tables) expect(text.includes(table), `${name}: docs/performance.md does not hold the table 'npm run bench:tables' renders from bench/results; paste it`).toBe(true);
  });
});
