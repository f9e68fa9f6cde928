import { type Architecture, concat, Module, ProjectionHead, type Rng, type Tensor } from '@openmind-ssl/core';

/**
 * nnssl's VoCoArchitecture / VoCoEvaArchitecture: an encoder-only network, every encoder feature map
 * average-pooled to one vector and concatenated (ResEnc-L: 1120; Primus: the token volume's width), then
 * the projector. The encoder's children are adopted under their own names (`encoder.*` for ResEnc,
 * `down_projection.*`/`eva.*` for Primus) beside `projector.*`, so the architecture's adaptation-plan keys
 * hold as they are. An optional momentum `teacher` (a second network of the same design) sits under
 * `teacher.*`: checkpoints resume it, but it never trains.
 * @see nnssl-spec §4.6
 */
export class ContrastiveNetwork extends Module {
  readonly projector: ProjectionHead;
  teacher: ContrastiveNetwork | undefined;

  constructor(readonly architecture: Architecture, projectorDim: number, rng: Rng) {
    super();
    for (const [name, m] of architecture.namedChildren()) this.child(name, m);
    const features = architecture.featureChannels.reduce((a, b) => a + b, 0);
    this.projector = this.child('projector', new ProjectionHead(features, projectorDim, projectorDim, rng));
  }

  /** Adds the momentum teacher: a copy of this network's current weights, without gradients. */
  attachTeacher(teacher: ContrastiveNetwork): void {
    teacher.loadStateDict(this.stateDict());
    for (const t of teacher.parameters()) t.requireGrad(false);
    this.teacher = this.child('teacher', teacher);
  }

  /** The trained parameters: everything but the teacher's, in the teacher's order. */
  studentParameters(): Tensor[] {
    const frozen = new Set(this.teacher?.parameters() ?? []);
    return this.parameters().filter((t) => !frozen.has(t));
  }

  /** Global average pool of every encoder stage, concatenated: [N, Σ featureChannels]. */
  pooled(x: Tensor): Tensor {
    const pooled = this.architecture.encode(x).map((m) => m.mean([2, 3, 4]));
    return pooled.length === 1 ? pooled[0]! : concat(pooled, 1);
  }

  /** @param x [N, C, d, h, w] → embeddings [N, projectorDim] */
  forward(x: Tensor): Tensor {
    return this.projector.forward(this.pooled(x));
  }

  override dispose(): void {
    super.dispose();
    this.architecture.dispose();
  }
}
