import { describe, expect, it } from 'vitest';
import { validationSummary } from '../src/report/write-report.js';

describe("the report's validation sentence", () => {
  it('should name the first and the last epoch of a longer run', () => {
    expect(validationSummary([{ epoch: 0, step: 10, val_loss: 1.5 }, { epoch: 3, step: 40, val_loss: 0.75 }]))
      .toBe(' Validation loss after epoch 1: 1.500; after epoch 4: 0.7500.');
  });

  it('should state a single epoch once, and nothing without validation', () => {
    expect(validationSummary([{ epoch: 0, step: 4, val_loss: 2.118 }])).toBe(' Validation loss after epoch 1: 2.118.');
    expect(validationSummary([])).toBe('');
  });
});
