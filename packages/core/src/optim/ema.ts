import { OpenMindError } from '../errors/openmind-error.js';
import { scalarInput } from '../ops/create.js';
import { where } from '../ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Exponential moving average of parameters, teacher ← m·teacher + (1 − m)·student for each pair — the
 * momentum teacher of VoCo, BYOL or DINO, meant to run from a recipe's `afterUpdate` hook. The teacher's
 * tensors are not optimizer parameters and should not require gradients. Nothing is read back, and the
 * momentum enters as run-time data, so a graph backend compiles the update once even when a schedule
 * changes m.
 * @param applyIf the step's uint8 keep flag (UpdateContext.applyIf): where it is 0 the teacher keeps its
 *   values exactly, as the student does on a dropped step.
 * @throws OpenMindError when the lists differ in length or a pair differs in shape.
 */
export function emaUpdate(teacher: readonly Tensor[], student: readonly Tensor[], momentum: number, applyIf?: Tensor): void {
  if (teacher.length !== student.length) {
    throw new OpenMindError(`emaUpdate: ${teacher.length} teacher tensors but ${student.length} student tensors`);
  }
  teacher.forEach((t, i) => {
    if (t.shape.join() !== student[i]!.shape.join()) {
      throw new OpenMindError(`emaUpdate: teacher tensor ${i} has shape [${t.shape}], its student [${student[i]!.shape}]`);
    }
  });
  const engine = teacher[0]?.engine;
  if (!engine) return;
  engine.noGrad(() => engine.tidy(() => {
    const m = scalarInput(momentum, engine);
    const rest = scalarInput(1 - momentum, engine);
    teacher.forEach((t, i) => {
      const blended = t.mul(m).add(student[i]!.mul(rest));
      t.assign(applyIf ? where(applyIf, blended, t) : blended);
    });
  }));
}
