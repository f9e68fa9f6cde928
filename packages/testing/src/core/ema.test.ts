import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emaUpdate, setBackend, type Tensor, tensor, Trainer, type TrainingRecipe } from '@openmind-ssl/core';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../reference/reference-backend.js';
import { ToyDenoisingMethod, toyBatches } from '../training/toy-method.js';

const keep = (v: number[]) => tensor(v, [v.length]).keep();

/** The toy method with an EMA teacher of its network, updated by the recipe's afterUpdate hook. */
class ToyWithTeacher extends ToyDenoisingMethod {
  readonly teacher: Tensor[];

  constructor(seed: number, readonly momentum: number) {
    super(seed);
    // Unlike the student from the start, so that an update the hook should have dropped would show.
    this.teacher = this.network.parameters().map((p) => p.mul(0.5).keep());
  }

  override recipe(s: { epochs: number }): TrainingRecipe {
    return { ...super.recipe(s), afterUpdate: (u) => emaUpdate(this.teacher, this.network.parameters(), this.momentum, u.applyIf) };
  }
}

describe('emaUpdate', () => {
  it('should blend teacher ← m·teacher + (1 − m)·student, and keep the teacher exactly where applyIf is 0', async () => {
    setBackend(new ReferenceBackend());
    const teacher = [keep([1, -2]), keep([4])];
    const student = [keep([3, 2]), keep([0])];
    emaUpdate(teacher, student, 0.75);
    expect([...(await teacher[0]!.data())]).toEqual([1.5, -1]);
    expect([...(await teacher[1]!.data())]).toEqual([3]);
    emaUpdate(teacher, student, 0.5, tensor(Uint8Array.of(0), [], { dtype: 'uint8' }));
    expect([...(await teacher[0]!.data())]).toEqual([1.5, -1]);
    emaUpdate(teacher, student, 0.5, tensor(Uint8Array.of(1), [], { dtype: 'uint8' }));
    expect([...(await teacher[0]!.data())]).toEqual([2.25, 0.5]);
    expect(teacher.every((t) => !t.requiresGrad && !t.node)).toBe(true);
  });

  it('should refuse teacher and student lists that do not pair up', () => {
    setBackend(new ReferenceBackend());
    expect(() => emaUpdate([keep([1])], [keep([1]), keep([2])], 0.9)).toThrow('emaUpdate: 1 teacher tensors but 2 student tensors');
    expect(() => emaUpdate([keep([1])], [keep([1, 2])], 0.9)).toThrow('emaUpdate: teacher tensor 0 has shape [1], its student [2]');
  });

  it('should run after each update of a training run (momentum 0: the teacher ends as the trained student)', async () => {
    setBackend(new ReferenceBackend());
    const method = new ToyWithTeacher(3, 0);
    await new Trainer({ method, train: toyBatches(1), epochs: 1, iterationsPerEpoch: 2, runDir: mkdtempSync(join(tmpdir(), 'om-ema-')), seed: 1 }).run();
    // Momentum 0: the teacher is a copy of the student after the last update.
    const student = await Promise.all(method.network.parameters().map((p) => p.data()));
    expect(await Promise.all(method.teacher.map((t) => t.data()))).toEqual(student);
  });

  it('should leave the teacher unchanged on steps dropped for a non-finite loss', async () => {
    setBackend(new ReferenceBackend());
    const method = new ToyWithTeacher(3, 0.5);
    const before = await Promise.all(method.teacher.map((t) => t.data()));
    const poisoned = { async *batches() { for (;;) yield { image: new Float32Array(1024).fill(NaN), shape: [2, 1, 8, 8, 8] as const }; } };
    await new Trainer({ method, train: poisoned, epochs: 1, iterationsPerEpoch: 2, runDir: mkdtempSync(join(tmpdir(), 'om-ema-')), seed: 1 }).run();
    expect(await Promise.all(method.teacher.map((t) => t.data()))).toEqual(before);
  });
});
