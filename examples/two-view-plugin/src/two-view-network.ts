import { type Architecture, concat, Linear, Module, type Rng, type Tensor } from '@openmind-ssl/core';

/** An encoder with a projector over its globally pooled coarsest features. */
export class EncoderProjector extends Module {
  readonly backbone: Architecture;
  readonly projector: Linear;
  constructor(backbone: Architecture, embedding: number, rng: Rng) {
    super();
    this.backbone = this.child('backbone', backbone);
    this.projector = this.child('projector', new Linear(backbone.featureChannels.at(-1)!, embedding, { rng }));
  }

  /** Global average pool of the last encoder stage, [N, C]. */
  pooled(x: Tensor): Tensor {
    return this.backbone.encode(x).at(-1)!.mean([2, 3, 4]);
  }

  forward(x: Tensor): Tensor {
    return this.projector.forward(this.pooled(x));
  }
}

/**
 * The student (encoder, projector and a 4-way classifier of the turn between two views) and its EMA teacher (a copy of encoder and
 * projector). The teacher is part of the state dict, so checkpoints resume it, but it never trains: its
 * tensors take no gradient and only `emaUpdate` writes them.
 */
export class TwoViewNetwork extends Module {
  readonly student: EncoderProjector;
  readonly head: Linear;
  readonly teacher: EncoderProjector;
  constructor(student: EncoderProjector, teacher: EncoderProjector, rng: Rng) {
    super();
    this.student = this.child('student', student);
    this.head = this.child('head', new Linear(2 * student.backbone.featureChannels.at(-1)!, 4, { rng }));
    this.teacher = this.child('teacher', teacher);
    teacher.loadStateDict(student.stateDict());
    for (const t of teacher.parameters()) t.requireGrad(false);
  }

  /** The student's logits of the turn that takes view `a` to view `b`, [N, 4]. */
  forward(a: Tensor, b: Tensor): Tensor {
    return this.turnLogits(this.student.pooled(a), this.student.pooled(b));
  }

  /** Turn logits from the pooled features of both views: a single random crop does not show its own turn. */
  turnLogits(pooledA: Tensor, pooledB: Tensor): Tensor {
    return this.head.forward(concat([pooledA, pooledB], 1));
  }
}
