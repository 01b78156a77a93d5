/**
 * Multiply-accumulate count of a model's forward pass for one image, from its layers: Conv2D and
 * DepthwiseConv2D cost (kernel elements) x (output positions), Dense costs in x out. Biases, BatchNorm,
 * activations, pooling and additions are not counted, as in the MobileNet papers' "mult-adds".
 */
import * as tf from '@tensorflow/tfjs';

const COUNTED = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

/** Mult-adds per layer (only layers that have any), in graph order. */
export function multAddsByLayer(model: tf.LayersModel): { layer: string; className: string; multAdds: number }[] {
  const rows: { layer: string; className: string; multAdds: number }[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (!COUNTED.has(className)) continue;
    const kernel = layer.weights.find((w) => /(^|\/)(depthwise_)?kernel$/.test(w.originalName));
    if (!kernel) throw new Error(`countMultAdds: layer ${layer.name} (${className}) has no kernel`);
    const out = layer.inboundNodes[0].outputTensors[0].shape; // [batch, h, w, c] or [batch, units]
    const positions = out.slice(1, -1).reduce<number>((a, d) => a * (d as number), 1);
    const kernelSize = kernel.shape.reduce<number>((a, d) => a * (d as number), 1);
    rows.push({ layer: layer.name, className, multAdds: kernelSize * positions });
  }
  return rows;
}

/** Total mult-adds of one forward pass at the model's input size. */
export function countMultAdds(model: tf.LayersModel): number {
  return multAddsByLayer(model).reduce((a, r) => a + r.multAdds, 0);
}
