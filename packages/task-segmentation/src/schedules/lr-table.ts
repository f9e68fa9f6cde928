import { PhaseController, type TrainingRecipe } from '@openmind-ssl/core';

/**
 * The learning rate of every parameter group at each epoch, as the trainer sets them (by running the
 * recipe's phases): rows are epochs, a group absent from the current optimizer has rate 0. Building the
 * table advances the phases, so a recipe is used for one table or one run, not both.
 */
export function learningRateTable(recipe: TrainingRecipe, epochs: number, groups: readonly string[] = ['encoder', 'decoder']): Record<string, number>[] {
  const phases = new PhaseController(recipe);
  try {
    const rows: Record<string, number>[] = [];
    for (let e = 0; e < epochs; e++) {
      phases.advanceTo(e);
      phases.setLr(e);
      const row: Record<string, number> = Object.fromEntries(groups.map((g) => [g, 0]));
      for (const g of phases.optimizer.groups) row[g.name] = g.lr;
      rows.push(row);
    }
    return rows;
  } finally {
    phases.release();
  }
}
