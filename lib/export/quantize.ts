/**
 * Weight storage for the exported model, in the tfjs weights-manifest format that `tf.io.decodeWeights`
 * reads back (tfjs-converter's `--quantize_uint8` / `--quantize_float16`):
 * - uint8: per tensor, q = round((w - min) / scale) with scale = (max - min) / 255, decoded as q * scale + min;
 * - float16: IEEE 754 half precision, round to nearest even;
 * - none: float32 as trained.
 */
import type * as tf from '@tensorflow/tfjs';

export type Quantize = 'none' | 'float16' | 'uint8';
export const QUANTIZE_MODES: readonly Quantize[] = ['none', 'float16', 'uint8'];

/** float32 -> IEEE 754 binary16 bits, round to nearest even (subnormals kept, overflow to infinity). */
export function float16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflows to zero
    mant |= 0x800000; // implicit bit
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** Encodes one float32 weight; returns its bytes and the manifest entry (with `quantization` when not 'none'). */
export function encodeWeight(
  spec: tf.io.WeightsManifestEntry,
  values: Float32Array,
  mode: Quantize,
): { bytes: Uint8Array; spec: tf.io.WeightsManifestEntry } {
  if (spec.dtype !== 'float32' || mode === 'none') {
    return { bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength), spec: { name: spec.name, shape: spec.shape, dtype: spec.dtype } };
  }
  if (mode === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]);
    return { bytes: new Uint8Array(out.buffer), spec: { name: spec.name, shape: spec.shape, dtype: 'float32', quantization: { dtype: 'float16' } } };
  }
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!values.length) min = max = 0;
  const scale = max > min ? (max - min) / 255 : 1;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((values[i] - min) / scale)));
  return { bytes: out, spec: { name: spec.name, shape: spec.shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min } } };
}
