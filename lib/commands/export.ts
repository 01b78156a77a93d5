/** `fer-au export`: a trained run -> a self-contained static site that scores AUs in the browser (lib/export). */
import { parseCommandArgs } from './args';
import { Command, UsageError } from './types';

const USAGE = `usage: fer-au export --run DIR --out DIR [--quantize none|float16|uint8] [--threshold tuned|T]

Writes a static site that detects faces, aligns them as \`fer-au predict\` does and scores the run's AUs in the
browser (webcam, image or video file), offline: the tfjs runtime (webgl, wasm fallback), the face detector and
landmark models and the AU model are all copied in; nothing is fetched from a CDN. Serve it with \`fer-au serve DIR\`
or any static file server. Scripts get window.ferAu = { ready, predict(image|canvas|video) }.

options:
  --run DIR            a run directory (from fer-au train) or a saved model directory (fer-au.json)
  --out DIR            the site folder (replaced if it holds an earlier export; refused if it holds anything else)
  --quantize MODE      AU model weights: none (float32, default; scores equal fer-au predict), float16 or uint8
  --threshold T        per-AU thresholds for the bars: 'tuned' (default: the run's, tuned on validation) or a number in (0, 1)
`;

export const command: Command = {
  name: 'export',
  summary: 'a static browser site (webcam / image / video) for a trained run',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { run: { type: 'string' }, out: { type: 'string' }, quantize: { type: 'string' }, threshold: { type: 'string' } });
    if (values.run === undefined) throw new UsageError('--run DIR is required');
    if (values.out === undefined) throw new UsageError('--out DIR is required');
    const { QUANTIZE_MODES } = require('../export/quantize') as typeof import('../export/quantize');
    const quantize = String(values.quantize ?? 'none');
    if (!(QUANTIZE_MODES as readonly string[]).includes(quantize)) throw new UsageError(`--quantize must be one of ${QUANTIZE_MODES.join(', ')}, got '${quantize}'`);
    let threshold: number | 'tuned' = 'tuned';
    if (values.threshold !== undefined && values.threshold !== 'tuned') {
      const t = Number(values.threshold);
      if (!(t > 0 && t < 1)) throw new UsageError(`--threshold must be 'tuned' or a number in (0, 1), got '${values.threshold}'`);
      threshold = t;
    }
    const { exportSite } = require('../export/site') as typeof import('../export/site');
    let r: import('../export/site').ExportReport;
    try {
      r = exportSite({ run: String(values.run), out: String(values.out), quantize: quantize as 'none', threshold });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    process.stderr.write(
      `fer-au export: ${r.config.backbone} ${r.config.inputSize} px, ${r.config.aus.length} AUs (thresholds ${r.config.thresholdSource}), ` +
        `model ${(r.modelBytes / 1e6).toFixed(2)} MB (${r.config.quantize}); ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB -> ${r.out}\n` +
        `serve it: fer-au serve ${String(values.out)}\n`,
    );
    return 0;
  },
};
