import { type Architecture, isLoraKey, type Tensor } from '@openmind-ssl/core';

/** A downstream network's parameters by role in the fine-tuning schedules. */
export interface ParameterSplit {
  /** The pre-trained part: stem and encoder stages (everything under keyToStem or keyToEncoder). */
  encoder: Tensor[];
  /** Everything else: decoder, segmentation layers, Primus' up-projection. */
  decoder: Tensor[];
  /** The input projection (part of `encoder`): trained with the decoder when input channels were added. */
  inProj: Tensor[];
  /** LoRA adapters added to the encoder and stem (part of `encoder`): what the 'lora' schedule trains there. */
  adapters: Tensor[];
}

const under = (key: string, prefix: string) => prefix !== '' && (key === prefix || key.startsWith(`${prefix}.`));

/**
 * Splits a network's parameters into encoder (stem + stages) and decoder by its own keyToStem and
 * keyToEncoder. The decoder is selected as the complement, so an alias of encoder weights inside the
 * decoder (DNA's `decoder.encoder`, which made the fork's Sawtooth train the encoder) cannot leak into it.
 */
export function splitParameters(network: Architecture): ParameterSplit {
  const encoder: Tensor[] = [];
  const decoder: Tensor[] = [];
  const inProj: Tensor[] = [];
  const adapters: Tensor[] = [];
  const seen = new Set<Tensor>();
  for (const [key, p] of network.namedParameters()) {
    if (seen.has(p)) continue;
    seen.add(p);
    if (under(key, network.keyToEncoder) || under(key, network.keyToStem)) {
      encoder.push(p);
      if (network.keysToInProj.some((k) => under(key, k)) && !isLoraKey(key)) inProj.push(p);
      if (isLoraKey(key)) adapters.push(p);
    } else decoder.push(p);
  }
  return { encoder, decoder, inProj, adapters };
}
