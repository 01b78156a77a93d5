// Test helper: writes a Keras 2 `save_weights` .h5 file with h5wasm, in the exact layout Keras uses
// (keras/src/legacy/saving/legacy_h5_format.py save_weights_to_hdf5_group):
//   root attrs: backend, keras_version, layer_names (fixed-length byte strings, every layer, weighted or not)
//   /<layer name>            group (a '/' in the name nests groups, as h5py does), attr weight_names ['<layer>/<w>:0', ...]
//   /<layer name>/<weight name>  float32 dataset (again nested at every '/')
// With `modelWeights`, everything sits under /model_weights (as `model.save('x.h5')` writes it); with
// `splitAttributes`, layer_names is split into layer_names0, layer_names1 (Keras does so above 64 KiB).
import { loadH5wasm } from '../../lib/models/h5';

export interface H5Layer {
  name: string;
  weights: { name: string; shape: number[]; values: Float32Array }[];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function ensureGroup(parent: any, path: string): any {
  let g = parent;
  for (const part of path.split('/')) {
    const existing = g.keys().includes(part) ? g.get(part) : null;
    g = existing ?? g.create_group(part);
  }
  return g;
}

function fixedStrings(g: any, name: string, values: string[]): void {
  const width = Math.max(1, ...values.map((v) => Buffer.byteLength(v)));
  g.create_attribute(name, values, [values.length], `S${width}`);
}

export async function writeKerasH5(file: string, layers: H5Layer[], opts: { modelWeights?: boolean; splitAttributes?: boolean } = {}): Promise<void> {
  const h5 = (await loadH5wasm()) as any;
  const f = new h5.File(file, 'w');
  try {
    const root = opts.modelWeights ? f.create_group('model_weights') : f;
    if (opts.modelWeights) f.create_attribute('keras_version', '2.2.4');
    root.create_attribute('backend', 'tensorflow');
    root.create_attribute('keras_version', '2.2.4');
    const names = layers.map((l) => l.name);
    if (opts.splitAttributes) {
      const half = Math.ceil(names.length / 2);
      fixedStrings(root, 'layer_names0', names.slice(0, half));
      fixedStrings(root, 'layer_names1', names.slice(half));
    } else {
      fixedStrings(root, 'layer_names', names);
    }
    for (const layer of layers) {
      const g = ensureGroup(root, layer.name);
      const weightNames = layer.weights.map((w) => `${layer.name}/${w.name}:0`);
      fixedStrings(g, 'weight_names', weightNames);
      layer.weights.forEach((w, i) => {
        const parts = weightNames[i].split('/');
        const leaf = parts.pop()!;
        ensureGroup(g, parts.join('/')).create_dataset({ name: leaf, data: w.values, shape: w.shape });
      });
    }
  } finally {
    f.close();
  }
}
