/**
 * Registers this project's kernels on the wasm backend: the three gradient kernels tfjs-backend-wasm lacks
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput), a faster
 * Conv2DBackpropInput (the stock one is a scalar loop), and buffer-sharing Identity / same-dtype Cast (tfjs-core
 * clones every tensor it saves for the backward pass; stock wasm copies it, the cpu backend shares the buffer),
 * a tiled native Transpose (transpose.ts), an in-place Slice (slice.ts), Sum/Mean over leading axes as column sums (reductions.ts), a
 * threaded SIMD FusedBatchNorm forward (fused_batch_norm.ts), one-pass
 * kernels for the gradients of stock ops (native_ops.ts, used by the gradient overrides in stock_grads.ts), and a
 * fused Adam update (adam.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilter, conv2DBackpropInput, depthwiseConv2dNativeBackpropInput } from './conv_grads';
import { depthwiseConv2dNativeBackpropFilter } from './depthwise_filter_grad';
import { captureStock, stockKernel, WasmBackendLike } from './wasm_ops';
import { transpose } from './transpose';
import { mean, sum } from './reductions';
import { fusedBatchNorm } from './fused_batch_norm';
import { slice } from './slice';
import { NATIVE_OPS } from './native_ops';
import { registerStockGradients } from './stock_grads';
import { installFusedAdam } from './adam';

export { conv2DBackpropFilter, conv2DBackpropInput, depthwiseConv2dNativeBackpropInput, depthwiseConv2dNativeBackpropFilter };

type AnyKernel = (args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike; attrs: Record<string, unknown> }) => tf.TensorInfo;

/** Shares the input's buffer (wasm kernels never write into their inputs). */
function shareBuffer(args: { inputs: Record<string, tf.TensorInfo>; backend: WasmBackendLike; attrs: Record<string, unknown> }): tf.TensorInfo {
  const x = args.inputs.x;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity(args: Parameters<AnyKernel>[0]): tf.TensorInfo {
  if (args.inputs.x.dtype === 'string') return stockKernel('Identity')(args) as tf.TensorInfo;
  return shareBuffer(args);
}

function cast(args: Parameters<AnyKernel>[0]): tf.TensorInfo {
  if (args.inputs.x.dtype === args.attrs.dtype && args.inputs.x.dtype !== 'string') return shareBuffer(args);
  return stockKernel('Cast')(args) as tf.TensorInfo;
}

/** Kernels this project registers for 'wasm', by name. */
export const WASM_KERNELS: Record<string, AnyKernel> = {
  Conv2DBackpropFilter: conv2DBackpropFilter as unknown as AnyKernel,
  Conv2DBackpropInput: conv2DBackpropInput as unknown as AnyKernel,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilter as unknown as AnyKernel,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInput as unknown as AnyKernel,
  Identity: identity,
  Cast: cast,
  Transpose: transpose as unknown as AnyKernel,
  Slice: slice as unknown as AnyKernel,
  Sum: sum as unknown as AnyKernel,
  Mean: mean as unknown as AnyKernel,
  FusedBatchNorm: fusedBatchNorm as unknown as AnyKernel,
  ...(NATIVE_OPS as unknown as Record<string, AnyKernel>),
};

let registered = false;

/**
 * Registers WASM_KERNELS for the 'wasm' backend (replacing stock ones of the same name; the stock functions stay
 * reachable for delegation), the gradient overrides of stock_grads.ts and the fused Adam update (both check for wasm
 * at run time). Idempotent. Returns the kernel names registered.
 */
export function registerWasmKernels(): string[] {
  const names = Object.keys(WASM_KERNELS);
  if (registered) return names;
  // Kernels the replacements compose, captured before anything is replaced.
  captureStock(['Identity', 'Cast', 'Reshape', 'Transpose', 'PadV2', 'Slice', 'BatchMatMul', 'Conv2D', 'DepthwiseConv2dNative', 'Reverse', 'Sum', 'Mean', 'FusedBatchNorm']);
  for (const name of names) {
    if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: WASM_KERNELS[name] as unknown as tf.KernelFunc });
  }
  registerStockGradients();
  installFusedAdam();
  registered = true;
  return names;
}
