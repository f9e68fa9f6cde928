import { OpenMindError } from '../errors/openmind-error.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Tensors reachable from `root` through recorded nodes, each after all tensors computed from it. */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep networks would overflow the call stack with recursion.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i]!;
      if (!visited.has(next) && next.needsGrad) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(t);
      stack.pop();
    }
  }
  return order.reverse();
}

/**
 * Reverse-mode differentiation: the gradients of `root` with respect to `wrt` (undefined where `root`
 * does not depend on a tensor). `seed` is d(loss)/d(root); it defaults to 1 for a scalar root.
 * Intermediate gradients are freed as soon as they have been used.
 */
export function gradients(root: Tensor, wrt: readonly Tensor[], seed?: Tensor): (Tensor | undefined)[] {
  const engine = root.engine;
  if (!seed && root.size !== 1) {
    throw new OpenMindError(`backward: the root has shape [${root.shape}]; pass a seed gradient for a non-scalar`);
  }
  if (seed && !shapesEqual(seed.shape, root.shape)) {
    throw new OpenMindError(`backward: seed shape [${seed.shape}] differs from root shape [${root.shape}]`);
  }
  const targets = new Set(wrt);
  return engine.noGrad(() => {
    // A rule may hand back its incoming gradient itself (add, reshape of equal shape), so one tensor
    // can hold several gradients: count references and free a tensor when the last one is gone.
    const refs = new Map<Tensor, number>();
    const hold = (t: Tensor): void => void refs.set(t, (refs.get(t) ?? 0) + 1);
    const release = (t: Tensor): void => {
      const n = (refs.get(t) ?? 1) - 1;
      if (n > 0) refs.set(t, n);
      else {
        refs.delete(t);
        t.dispose();
      }
    };
    const grads = new Map<Tensor, Tensor>();
    const start = seed ? seed.mul(1) : engine.tidy(() => onesLike(root));
    hold(start);
    grads.set(root, start);
    for (const t of reverseTopologicalOrder(root)) {
      const g = grads.get(t);
      if (!g || !t.node) continue;
      const node = t.node;
      const inputGrads = engine.tidy(() => node.backward(g));
      node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!gi) return;
        hold(gi);
        if (!input.needsGrad) return release(gi);
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new OpenMindError(`backward: rule of '${node.op}' gave shape [${gi.shape}] for input [${input.shape}]`);
        }
        const prev = grads.get(input);
        if (!prev) return void grads.set(input, gi);
        const total = prev.add(gi);
        hold(total);
        grads.set(input, total);
        release(prev);
        release(gi);
      });
      if (!targets.has(t)) {
        grads.delete(t);
        release(g);
      }
    }
    const seen = new Set<Tensor>();
    const result = wrt.map((w) => {
      const g = grads.get(w);
      if (!g) return undefined;
      // Each caller-owned gradient must be its own tensor.
      const own = seen.has(g) || (refs.get(g) ?? 0) > 1 ? g.mul(1) : g;
      seen.add(own);
      return own;
    });
    for (const [t, g] of grads) if (!targets.has(t) || !result.includes(g)) release(g);
    return result;
  });
}

/** Accumulates gradients of `root` into `.grad` of every leaf that has `requiresGrad`. */
export function backward(root: Tensor, seed?: Tensor): void {
  const leaves = reverseTopologicalOrder(root).filter((t) => t.requiresGrad);
  const gs = gradients(root, leaves, seed);
  leaves.forEach((leaf, i) => {
    const g = gs[i];
    if (!g) return;
    if (leaf.grad) {
      const sum = leaf.grad.add(g);
      leaf.grad.dispose();
      g.dispose();
      leaf.grad = leaf.engine.keep(sum);
    } else {
      leaf.grad = leaf.engine.keep(g);
    }
  });
}

function onesLike(t: Tensor): Tensor {
  return t.mul(0).add(1);
}
