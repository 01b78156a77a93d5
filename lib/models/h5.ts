/**
 * Reading Keras 2 HDF5 weight files (`model.save_weights('x.h5')`, the keras-applications downloads, and full
 * `model.save('x.h5')` files whose weights sit under `model_weights`) with h5wasm.
 *
 * Layout (keras/src/legacy/saving/legacy_h5_format.py): the weights group carries the attribute `layer_names`;
 * each layer group carries `weight_names` (e.g. `conv1_bn/gamma:0`) and holds each weight at the path of its name.
 * Attributes larger than HDF5's 64 KiB header limit are split by Keras into `layer_names0`, `layer_names1`, ...
 */
import * as fs from 'fs';

export interface NamedWeight {
  /** Layer name as stored (e.g. `conv1/conv` in Keras 2 DenseNet files). */
  layer: string;
  /** Weight name within the layer, without the `:0` suffix (`kernel`, `gamma`, `moving_variance`). */
  name: string;
  shape: number[];
  values: Float32Array;
}

// Minimal structural types of the parts of h5wasm used here (the package is ESM-only, loaded with import()).
interface H5Attr { value: unknown }
interface H5Node { attrs: Record<string, H5Attr>; keys?: () => string[]; get?: (path: string) => H5Node | null; shape?: number[] | null; value?: unknown }
interface H5File extends H5Node { close(): void }
interface H5Module { ready: Promise<unknown>; File: new (path: string, mode: string) => H5File }

let h5Promise: Promise<H5Module> | null = null;

/** h5wasm's Node build, loaded once. `new Function` keeps TypeScript's CommonJS output from turning import() into require(). */
export function loadH5wasm(): Promise<H5Module> {
  if (!h5Promise) {
    const dynImport = new Function('s', 'return import(s)') as (s: string) => Promise<H5Module>;
    h5Promise = dynImport('h5wasm/node').then(async (m) => {
      await m.ready;
      return m;
    });
  }
  return h5Promise;
}

function decodeString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8').replace(/\0+$/, '');
  return String(v);
}

/** A string-list attribute, joining Keras's chunked `name0`, `name1`, ... form. Null if absent. */
function stringListAttr(node: H5Node, name: string): string[] | null {
  const attrs = node.attrs;
  const asList = (a: H5Attr): string[] => {
    const v = a.value;
    if (Array.isArray(v)) return v.map(decodeString);
    if (v === null || v === undefined) return [];
    return [decodeString(v)];
  };
  if (attrs[name]) return asList(attrs[name]);
  if (!attrs[`${name}0`]) return null;
  const out: string[] = [];
  for (let i = 0; attrs[`${name}${i}`]; i++) out.push(...asList(attrs[`${name}${i}`]));
  return out;
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** True if the file starts with the HDF5 format signature (Keras writes no user block). */
export function hasHdf5Signature(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(8);
    return fs.readSync(fd, b, 0, 8, 0) === 8 && b.equals(HDF5_SIGNATURE);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Every weight of a Keras 2 .h5 file, in file order. Throws, naming the file, when it is not a Keras weights file
 * (for example a Keras 3 `.weights.h5`, which has no `layer_names`).
 */
export async function readKerasH5Weights(file: string): Promise<NamedWeight[]> {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  if (!hasHdf5Signature(file)) throw new Error(`${file}: cannot open as HDF5 (no HDF5 signature at offset 0)`);
  const h5 = await loadH5wasm();
  let f: H5File;
  try {
    f = new h5.File(file, 'r');
  } catch (err) {
    throw new Error(`${file}: cannot open as HDF5 (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    const top = f.keys ? f.keys() : [];
    const root: H5Node = top.includes('model_weights') ? (f.get!('model_weights') as H5Node) : f;
    const layerNames = stringListAttr(root, 'layer_names');
    if (!layerNames) {
      const hint = top.includes('layers') ? ' (this looks like a Keras 3 .weights.h5; save with Keras 2 layout or convert to a tfjs model.json)' : '';
      throw new Error(`${file}: not a Keras 2 weights file: no 'layer_names' attribute${hint}`);
    }
    const out: NamedWeight[] = [];
    for (const layer of layerNames) {
      const g = root.get!(layer);
      if (!g) throw new Error(`${file}: layer group '${layer}' listed in layer_names is missing`);
      const weightNames = stringListAttr(g, 'weight_names') ?? [];
      for (const wn of weightNames) {
        const ds = g.get!(wn);
        if (!ds || ds.shape === undefined) throw new Error(`${file}: dataset '${layer}/${wn}' listed in weight_names is missing`);
        const v = ds.value;
        let values: Float32Array;
        if (v instanceof Float32Array) values = v;
        else if (ArrayBuffer.isView(v) || Array.isArray(v)) values = Float32Array.from(v as ArrayLike<number>);
        else if (typeof v === 'number') values = Float32Array.of(v);
        else throw new Error(`${file}: dataset '${layer}/${wn}' is not numeric`);
        const short = wn.split('/').pop()!.replace(/:\d+$/, '');
        out.push({ layer, name: short, shape: (ds.shape ?? []).map(Number), values });
      }
    }
    return out;
  } finally {
    f.close();
  }
}
