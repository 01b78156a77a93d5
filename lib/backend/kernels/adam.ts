/**
 * Adam's update as one kernel per variable on the wasm backend (FerAdamUpdate, csrc adam_update), in place of the
 * thirteen element-wise kernels per variable of tfjs-core's AdamOptimizer.applyGradients (about a thousand kernel
 * calls per MobileNet step, each with its JS dispatch and, on the threaded build, a thread-pool barrier).
 *
 * Installed on AdamOptimizer's prototype, so every `tf.train.adam` optimizer (model.compile, optimizer.minimize,
 * lib/train) uses it while wasm with the native kernels is active; anywhere else the stock method runs. The update
 * replays tfjs's float32 operations in tfjs's order (same moments variables, names and bookkeeping), so it gives the
 * stock result bit for bit (test/backend/adam.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { nativeReady } from './native_ops';

type NamedGrads = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
interface Moment { originalName: string; variable: tf.Variable }
interface AdamLike {
  learningRate: number; beta1: number; beta2: number; epsilon: number;
  accBeta1: tf.Variable; accBeta2: tf.Variable;
  accumulatedFirstMoment: Moment[]; accumulatedSecondMoment: Moment[];
  incrementIterations(): void;
}

const scalarValue = (t: tf.Tensor): number => (t.dataSync() as Float32Array)[0];

function fusedApply(this: AdamLike, variableGradients: NamedGrads): void {
  const varNames = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  const registered = tf.engine().registeredVariables;
  tf.tidy(() => {
    // tfjs: oneMinusAccBeta = sub(1, accBeta) in float32 (exact in double, then rounded once).
    const c1 = Math.fround(1 - scalarValue(this.accBeta1));
    const c2 = Math.fround(1 - scalarValue(this.accBeta2));
    const attrs = { b1: this.beta1, omb1: 1 - this.beta1, b2: this.beta2, omb2: 1 - this.beta2, c1, c2, eps: this.epsilon, neglr: -this.learningRate };
    varNames.forEach((name, i) => {
      const value = registered[name];
      if (this.accumulatedFirstMoment[i] == null) {
        this.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      }
      if (this.accumulatedSecondMoment[i] == null) {
        this.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      }
      const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (gradient == null) return;
      const m = this.accumulatedFirstMoment[i].variable;
      const v = this.accumulatedSecondMoment[i].variable;
      const [x1, m1, v1] = tf.engine().runKernel('FerAdamUpdate', { x: value, m, v, g: gradient }, attrs) as tf.Tensor[];
      m.assign(m1);
      v.assign(v1);
      value.assign(x1);
    });
    this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
    this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
  });
  this.incrementIterations();
}

/** Every gradient and variable is float32 (the kernel's only dtype). */
function allFloat32(variableGradients: NamedGrads): boolean {
  const registered = tf.engine().registeredVariables;
  const entries = Array.isArray(variableGradients) ? variableGradients.map((v) => [v.name, v.tensor] as const) : Object.entries(variableGradients);
  return entries.every(([name, g]) => (g == null || g.dtype === 'float32') && registered[name]?.dtype === 'float32');
}

let installed = false;

/** Installs the fused update on tf.AdamOptimizer (idempotent). */
export function installFusedAdam(): void {
  if (installed) return;
  const proto = tf.AdamOptimizer.prototype as unknown as { applyGradients(g: NamedGrads): void };
  const stock = proto.applyGradients;
  proto.applyGradients = function (this: AdamLike, variableGradients: NamedGrads): void {
    if (nativeReady() && allFloat32(variableGradients)) return fusedApply.call(this, variableGradients);
    return stock.call(this, variableGradients);
  };
  installed = true;
}
