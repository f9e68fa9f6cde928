import { type Architecture, concat, Module, ProjectionHead, type Rng, type Tensor } from '@openmind-ssl/core';

/**
 * nnssl's VoCoArchitecture / VoCoEvaArchitecture: an encoder-only network, every encoder feature map
 * average-pooled to one vector and concatenated (ResEnc-L: 32+64+…+320 = 1120; Primus: the token
 * volume's width), then the projector. The encoder's children are adopted under their own names, so the
 * state dict holds `encoder.stem.*`/`encoder.stages.*` (ResEnc) or `down_projection.*`/`eva.*` (Primus)
 * beside `projector.*`, and the architecture's adaptation-plan keys hold as they are.
 * @see nnssl-spec §4.6
 */
export class ContrastiveNetwork extends Module {
  readonly projector: ProjectionHead;

  constructor(readonly architecture: Architecture, projectorDim: number, rng: Rng) {
    super();
    for (const [name, m] of architecture.namedChildren()) this.child(name, m);
    const features = architecture.featureChannels.reduce((a, b) => a + b, 0);
    this.projector = this.child('projector', new ProjectionHead(features, projectorDim, projectorDim, rng));
  }

  /** Global average pool of every encoder stage, concatenated: [N, Σ featureChannels]. */
  pooled(x: Tensor): Tensor {
    const maps = this.architecture.encode(x);
    const pooled = maps.map((m) => m.mean([2, 3, 4]));
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
