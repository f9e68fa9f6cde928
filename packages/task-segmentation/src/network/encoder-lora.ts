import { addLoraAdapters, type Architecture, defaultLoraTargets, type LoraOptions, type Rng } from '@openmind-ssl/core';

const under = (key: string, prefix: string) => prefix !== '' && (key === prefix || key.startsWith(`${prefix}.`));

/**
 * Adds LoRA adapters to the pre-trained part of a segmentation network only — core's default targets
 * (attention projections, 3×3×3 convolutions) under its keyToEncoder or keyToStem; the decoder trains
 * fully and gets none. Returns the adapted layers' names.
 */
export function addEncoderLoraAdapters(network: Architecture, options: LoraOptions, rng: Rng): string[] {
  return addLoraAdapters(network, options, rng, (name, layer) => (under(name, network.keyToEncoder) || under(name, network.keyToStem)) && defaultLoraTargets(name, layer));
}
