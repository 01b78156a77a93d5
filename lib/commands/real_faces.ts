/** `fer-au real-faces`: the sim-to-real measurement of issue 13 on the installed real photos. */
import * as path from 'path';
import { parseCommandArgs } from './args';
import { UsageError, type Command } from './types';
import { exitWhenDone } from './train';

const USAGE = `usage: fer-au real-faces --model DIR [--out FILE] [--figure FILE]

Runs a trained model on every face of the installed real photos (face-api's demo sample1-6.jpg and, when
python3-skimage is installed, scikit-image's astronaut.png), aligned as fer-au predict aligns them, and reports
the per-AU AUC of the model's scores against face-api's expression classifier mapped to AUs by the EMFACS
prototypes, over the faces where that reference is confident (present >= 0.6, absent <= 0.1), for all faces and
for the dev (astronaut, sample1-3) and test (sample4-6) splits, with 95% bootstrap intervals over faces.

  --model DIR      a run directory (from fer-au train) or a saved model directory
  --out FILE       results JSON (default results/real-faces/real-faces.json)
  --figure FILE    faces with their AU bars, PNG (default results/figures/real-faces.png)`;

export const command: Command = {
  name: 'real-faces',
  summary: 'sim-to-real: per-AU AUC on the installed real photos against the EMFACS-mapped expression reference',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { model: { type: 'string' }, out: { type: 'string' }, figure: { type: 'string' } });
    if (values.model === undefined) throw new UsageError('--model DIR is required');
    const root = path.resolve(__dirname, '..', '..');
    const out = path.resolve(String(values.out ?? path.join(root, 'results', 'real-faces', 'real-faces.json')));
    const figure = path.resolve(String(values.figure ?? path.join(root, 'results', 'figures', 'real-faces.png')));
    const { initBackend } = require('../backend') as typeof import('../backend');
    const { loadPredictor } = require('../train/predict') as typeof import('../train/predict');
    const { runRealFaces } = require('../realfaces/run') as typeof import('../realfaces/run');
    const { formatAgreement } = require('../realfaces/format') as typeof import('../realfaces/format');
    const backend = await initBackend();
    const p = await loadPredictor(String(values.model));
    const res = await runRealFaces(p, { model: String(values.model), out, figure, backend: backend.name, command: `fer-au real-faces ${argv.join(' ')}` });
    process.stdout.write(formatAgreement(res));
    process.stderr.write(`fer-au real-faces: ${res.faces.length} faces -> ${out}, ${figure}\n`);
    exitWhenDone();
    return 0;
  },
};
