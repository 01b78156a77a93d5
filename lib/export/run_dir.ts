/** Where the experiments keep a run's trained model (lib/experiments ensureRun: runs/<task>/<runId>), for exporting it. */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_RUNS_DIR } from '../experiments/ensure';
import { runId } from '../train/run_id';
import type { ExperimentConfig } from '../train/config';

/**
 * The run directory of `config` (a results file's resolved config) when it holds a trained model, else null: runs
 * reused from committed results files have no model on this machine.
 */
export function trainedRunDir(config: ExperimentConfig | Record<string, unknown>, runsDir = DEFAULT_RUNS_DIR): string | null {
  const c = config as ExperimentConfig;
  const dir = path.join(runsDir, c.task, runId(c));
  return fs.existsSync(path.join(dir, 'model', 'fer-au.json')) ? dir : null;
}
