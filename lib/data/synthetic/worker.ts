/**
 * Worker thread of `writeSyntheticDisfa`: renders and writes frame ranges of subjects. Each frame depends only
 * on (seed, subject, frame), so the output does not depend on how many workers run or which one takes a range.
 */
import { parentPort } from 'worker_threads';
import { renderFrameRange, renderSubjectVideo, type RenderTask } from './writer';

if (!parentPort) throw new Error('lib/data/synthetic/worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', async (task: RenderTask) => {
  try {
    const progress = (n: number) => port.postMessage({ type: 'progress', n });
    if (task.video) await renderSubjectVideo(task, progress);
    else renderFrameRange(task, progress);
    port.postMessage({ type: 'done', id: task.id });
  } catch (err) {
    port.postMessage({ type: 'error', id: task.id, message: (err as Error).stack ?? String(err) });
  }
});
