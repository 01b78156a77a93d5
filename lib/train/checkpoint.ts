/**
 * Checkpoints of a run: after every epoch the run directory gets the model weights (all of them, BatchNorm moving
 * statistics included), the optimizer state (Adam moments, iteration count and its bias-correction powers), the
 * early-stopping state, the best weights so far, the history and the RNG positions, so `--resume` continues
 * exactly where an interrupted run stopped.
 *
 * Layout (RunDir below):
 *   <run>/config.json              the resolved ExperimentConfig
 *   <run>/checkpoint.json          CheckpointState: what was done, and which tensor files hold the state
 *   <run>/ckpt/<tag>.tensors       tensor files (model weights + optimizer state; best weights)
 *   <run>/history.json             history so far (for watching a run)
 *   <run>/model/                   the final model (lib/models saveAuModel), loadable by `fer-au predict`
 *   <run>/results.json             the results file (lib/results schema)
 *   <run>/test-scores.csv          sigmoid score and label of every test frame
 * Tensor files are written first, then checkpoint.json is replaced atomically, then files it no longer names
 * are deleted: a kill at any moment leaves a consistent checkpoint.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic, readJson } from '../util/fs';
import type { EarlyStoppingState } from './callbacks/early_stopping';
import { configDiff, validateConfig, type ExperimentConfig } from './config';
import type { ProgressFn } from './progress';
import type { EpochRecord, Stage1Metrics } from '../results/schema';

/** A tensor with a name (tfjs-core's NamedTensor, not re-exported by @tensorflow/tfjs). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

const MAGIC = 'FERAUT01';

/**
 * Writes named tensors to one file: 'FERAUT01', uint32 LE header length, JSON header (tf.io weight specs), data.
 * Values are copied bit-exactly (float32 stays float32).
 */
export async function writeTensorFile(file: string, tensors: NamedTensor[]): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const header = Buffer.from(JSON.stringify(specs), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  writeFileAtomic(file, Buffer.concat([Buffer.from(MAGIC, 'ascii'), len, header, Buffer.from(data as ArrayBuffer)]));
}

/** Reads a tensor file written by writeTensorFile, in the order written. The caller disposes the tensors. */
export function readTensorFile(file: string): NamedTensor[] {
  const buf = fs.readFileSync(file);
  if (buf.length < 12 || buf.subarray(0, 8).toString('ascii') !== MAGIC) throw new Error(`${file}: not a fer-au tensor file`);
  const n = buf.readUInt32LE(8);
  let specs: tf.io.WeightsManifestEntry[];
  try {
    specs = JSON.parse(buf.subarray(12, 12 + n).toString('utf8'));
  } catch (err) {
    throw new Error(`${file}: corrupt header (${(err as Error).message})`);
  }
  const body = buf.subarray(12 + n);
  const data = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(data, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}

/** The variables of a model in a stable order (model.weights: trainable and non-trainable, BatchNorm statistics too). */
export function modelVariables(model: tf.LayersModel): tf.Variable[] {
  return model.weights.map((w) => w.read() as tf.Variable);
}

/** Current values of a model's weights, named `model/<i>/<weight name>`. */
export function modelTensors(model: tf.LayersModel): NamedTensor[] {
  return model.weights.map((w, i) => ({ name: `model/${i}/${w.originalName}`, tensor: w.read() }));
}

/**
 * Assigns saved weights back to a model of the same architecture, checking count and shapes (names may differ in
 * tfjs's uniquifying suffixes between processes, so order and shape decide).
 */
export function assignModelTensors(model: tf.LayersModel, saved: NamedTensor[], source: string): void {
  const ws = model.weights;
  if (saved.length !== ws.length) throw new Error(`${source}: has ${saved.length} model weights, the model has ${ws.length}`);
  ws.forEach((w, i) => {
    const t = saved[i].tensor;
    if (t.shape.join(',') !== w.shape.join(',')) {
      throw new Error(`${source}: weight ${i} (${saved[i].name}) has shape [${t.shape}], the model's ${w.originalName} has [${w.shape}]`);
    }
    (w.read() as tf.Variable).assign(t);
  });
}

/** Optimizer internals not covered by tf.AdamOptimizer.getWeights (restored bit-exactly, not recomputed with pow). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/**
 * Adam state: getWeights() (iterations, first and second moments in variable order) + the bias-correction powers.
 * The iteration scalar ('opt/0/iter') is a new tensor the caller disposes; the others belong to the optimizer.
 */
export async function optimizerTensors(opt: tf.AdamOptimizer): Promise<NamedTensor[]> {
  const ws = await opt.getWeights();
  const internals = opt as unknown as AdamInternals;
  return [
    ...ws.map((w, i) => ({ name: `opt/${i}/${w.name}`, tensor: w.tensor })),
    { name: 'opt/accBeta1', tensor: internals.accBeta1 },
    { name: 'opt/accBeta2', tensor: internals.accBeta2 },
  ];
}

/** Restores optimizerTensors into a fresh optimizer of the same kind and hyper-parameters. */
export async function restoreOptimizer(opt: tf.AdamOptimizer, saved: NamedTensor[]): Promise<void> {
  const b1 = saved.find((s) => s.name === 'opt/accBeta1');
  const b2 = saved.find((s) => s.name === 'opt/accBeta2');
  const ws = saved.filter((s) => s !== b1 && s !== b2).map((s) => ({ name: s.name.replace(/^opt\/\d+\//, ''), tensor: s.tensor }));
  await opt.setWeights(ws);
  const internals = opt as unknown as AdamInternals;
  if (b1) internals.accBeta1.assign(b1.tensor);
  if (b2) internals.accBeta2.assign(b2.tensor);
}

/** Everything but tensors that a resumed run needs (written by callbacks/checkpoint.ts). */
export interface CheckpointState {
  /** 2 since the stage-1 test metrics are kept (version 1 checkpoints resume only while still in stage 1). */
  version: 1 | 2;
  runId: string;
  /** Stage and epoch (1-based) just completed. */
  stage: 1 | 2;
  epoch: number;
  /** True once the stage ended (epoch limit or early stop) and the best weights were restored. */
  stageDone: boolean;
  history: { stage1: EpochRecord[]; stage2: EpochRecord[] };
  earlyStopping: EarlyStoppingState;
  /**
   * RNG positions. Every random stream is derived statelessly: deriveSeed(seed, stream, stage, epoch[, step]) for
   * data order and augmentation ('order', 'augment') and dropout masks ('dropout'); weight initialisation from
   * deriveSeed(seed, 'init'). So the position of every stream is (stage, epoch + 1).
   */
  rng: { seed: number; next: { stage: 1 | 2; epoch: number } };
  /**
   * Tensor file (relative to the run dir) with the weights and optimizer state at the end of this epoch: the head's
   * weights in stage 1 (the frozen backbone is rebuilt identically from the config), the whole model's in stage 2.
   */
  stateFile: string;
  /** Tensor file with the best model weights of the current stage (by validation loss), or null. */
  bestFile: string | null;
  /** Test metrics of the restored stage-1 model, once stage 1 ended (null before; absent in version 1). */
  stage1Metrics?: Stage1Metrics | null;
  /** Seconds spent so far (summed over sessions). */
  elapsedS: number;
}

/** Paths inside a run directory. */
export class RunDir {
  constructor(readonly dir: string) {}
  get config(): string {
    return path.join(this.dir, 'config.json');
  }
  get checkpoint(): string {
    return path.join(this.dir, 'checkpoint.json');
  }
  get ckptDir(): string {
    return path.join(this.dir, 'ckpt');
  }
  get history(): string {
    return path.join(this.dir, 'history.json');
  }
  get model(): string {
    return path.join(this.dir, 'model');
  }
  get results(): string {
    return path.join(this.dir, 'results.json');
  }
  get testScores(): string {
    return path.join(this.dir, 'test-scores.csv');
  }
  /** Absolute path of a file named relative to the run dir. */
  resolve(rel: string): string {
    return path.join(this.dir, rel);
  }

  /** The last checkpoint, or null when there is none. */
  readCheckpoint(): CheckpointState | null {
    if (!fs.existsSync(this.checkpoint)) return null;
    const s = readJson<CheckpointState>(this.checkpoint);
    if (s.version !== 1 && s.version !== 2) throw new Error(`${this.checkpoint}: unsupported checkpoint version ${s.version}`);
    return s;
  }

  /**
   * Writes a checkpoint: the tensor files first (`state` names them), then checkpoint.json atomically,
   * then deletes tensor files no longer named.
   */
  async writeCheckpoint(state: CheckpointState, tensors: NamedTensor[], best: NamedTensor[] | null): Promise<void> {
    fs.mkdirSync(this.ckptDir, { recursive: true });
    await writeTensorFile(this.resolve(state.stateFile), tensors);
    if (best && state.bestFile) await writeTensorFile(this.resolve(state.bestFile), best);
    writeJsonAtomic(this.checkpoint, state);
    writeJsonAtomic(this.history, state.history);
    const keep = new Set([state.stateFile, state.bestFile].filter((f): f is string => f !== null).map((f) => path.basename(f)));
    for (const f of fs.readdirSync(this.ckptDir)) {
      if (!keep.has(f)) fs.rmSync(path.join(this.ckptDir, f), { force: true });
    }
  }

  /**
   * Removes checkpoints and outputs of an earlier run in this directory (a fresh, non-resumed start), and only
   * of the run `runId`: a directory whose checkpoint belongs to another run is refused, never wiped.
   */
  clear(runId: string): void {
    const ckpt = fs.existsSync(this.checkpoint) ? readJson<Partial<CheckpointState>>(this.checkpoint) : null;
    if (ckpt && ckpt.runId !== undefined && ckpt.runId !== runId) {
      throw new Error(`${this.dir}: holds run ${ckpt.runId}, not ${runId}; refusing to clear it (choose another run directory)`);
    }
    for (const p of [this.checkpoint, this.ckptDir, this.history, this.results, this.testScores, this.model]) {
      fs.rmSync(p, { recursive: true, force: true });
    }
  }
}

/**
 * Prepares a run directory: with `resume`, checks that its config equals `c` and returns its last checkpoint
 * (null when it has none); otherwise clears this run's earlier outputs. Then writes config.json.
 */
export function openRunDir(run: RunDir, c: ExperimentConfig, runId: string, opts: { resume?: boolean; onProgress?: ProgressFn } = {}): CheckpointState | null {
  let ckpt: CheckpointState | null = null;
  if (opts.resume) {
    if (fs.existsSync(run.config)) {
      const diff = configDiff(validateConfig(readJson(run.config), run.config), c);
      if (diff.length) throw new Error(`${run.config}: cannot resume with a different config (differs in: ${diff.join(', ')})`);
    }
    ckpt = run.readCheckpoint();
    if (ckpt) opts.onProgress?.({ kind: 'phase', phase: 'resume', detail: `stage ${ckpt.stage} epoch ${ckpt.epoch}${ckpt.stageDone ? ' (stage done)' : ''} from ${run.checkpoint}` });
  } else {
    run.clear(runId);
  }
  fs.mkdirSync(run.dir, { recursive: true });
  writeJsonAtomic(run.config, c);
  return ckpt;
}
