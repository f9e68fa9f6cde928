import {
  type Architecture, Dropout, type DownstreamNetwork, isTokenNetwork, Linear, mean, Module, OpenMindError, type Rng, type Tensor, type TokenNetwork,
} from '@openmind-ssl/core';

/** How the encoder's output becomes one feature vector per case. */
export type FeaturePooling = 'global-average' | 'token-mean';

/**
 * The reference's classifier: a pre-trained encoder, one feature vector per case, Dropout → Linear.
 * ResEnc: the bottleneck (last encoder stage) averaged over space. Primus: the encoder's tokens averaged
 * over ALL tokens (the reference averages x[:, 1:], dropping the first patch token because it assumes a
 * class token the Eva does not have; README), with the pre-trained LayerScale and inner attention norms
 * kept (the reference's Eva drops them; README).
 *
 * The encoder's modules are registered under their own names (encoder.*, or down_projection.* and
 * eva.*), so the classifier's state-dict keys of the encoder equal the pre-training checkpoint's; the
 * head is head.fc.{weight,bias}.
 */
export class ClassificationNetwork extends Module implements DownstreamNetwork {
  readonly pooling: FeaturePooling;
  readonly featureWidth: number;
  readonly dropout: Dropout;
  readonly fc: Linear;
  private readonly tokens: (Architecture & TokenNetwork) | undefined;

  /**
   * @param backbone an encoder-only architecture (ResEnc: `encode`; Primus: a token network)
   * @param classes outputs of the head
   * @param dropout the head's dropout probability (reference 0.2)
   */
  constructor(readonly backbone: Architecture, readonly classes: number, dropout: number, rng: Rng) {
    super();
    const own = new Set(backbone.namedChildren().flatMap(([name, m]) => m.namedParameters().map(([k]) => `${name}.${k}`)));
    const stray = backbone.namedParameters().map(([k]) => k).filter((k) => !own.has(k));
    if (stray.length) throw new OpenMindError(`classifier: the encoder has parameters outside its modules (${stray.slice(0, 3).join(', ')}); it cannot be wrapped.`);
    for (const [name, m] of backbone.namedChildren()) this.child(name, m);
    this.tokens = isTokenNetwork(backbone) ? (backbone as Architecture & TokenNetwork) : undefined;
    this.pooling = this.tokens ? 'token-mean' : 'global-average';
    this.featureWidth = this.tokens ? this.tokens.tokenWidth : backbone.featureChannels.at(-1)!;
    const head = new HeadModule(new Dropout(dropout, rng), new Linear(this.featureWidth, classes, { rng }));
    this.child('head', head);
    this.dropout = head.drop;
    this.fc = head.fc;
  }

  /** One feature vector per case: [N, featureWidth]. */
  features(x: Tensor): Tensor {
    if (this.tokens) return mean(this.tokens.encodeTokens(this.tokens.embedTokens(x)), [1]);
    const stages = this.backbone.encode(x);
    return mean(stages[stages.length - 1]!, [2, 3, 4]);
  }

  /** Logits [N, classes]. */
  forward(x: Tensor): Tensor {
    return this.fc.forward(this.dropout.forward(this.features(x)));
  }

  /** The parameters of the head (trained in every mode) and of the encoder (frozen in a linear probe). */
  parameterGroups(): { head: Tensor[]; encoder: Tensor[] } {
    const all = this.namedParameters();
    return { head: all.filter(([k]) => k.startsWith('head.')).map(([, t]) => t), encoder: all.filter(([k]) => !k.startsWith('head.')).map(([, t]) => t) };
  }

  override train(on = true): this {
    super.train(on);
    this.backbone.train(on);
    return this;
  }
}

/** Dropout → Linear, timm's ClassifierHead without pooling (the reference's ClassificationHead). */
class HeadModule extends Module {
  constructor(readonly drop: Dropout, readonly fc: Linear) {
    super();
    this.child('drop', drop);
    this.child('fc', fc);
  }
}
