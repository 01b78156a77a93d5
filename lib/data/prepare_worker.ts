/**
 * Worker thread of `data prepare`: prepares the chunks it is sent (prepare_chunk.ts) and reports frames done.
 */
import { parentPort } from 'worker_threads';
import { prepareChunk, type ChunkTask } from './prepare_chunk';

if (!parentPort) throw new Error('lib/data/prepare_worker.ts must run in a worker thread');
const port = parentPort;
port.on('message', async (msg: { id: number; task: ChunkTask }) => {
  let pending = 0;
  try {
    const record = await prepareChunk(msg.task, () => {
      if (++pending === 10) {
        port.postMessage({ type: 'progress', n: pending });
        pending = 0;
      }
    });
    if (pending) port.postMessage({ type: 'progress', n: pending });
    port.postMessage({ type: 'done', id: msg.id, record });
  } catch (err) {
    port.postMessage({ type: 'error', id: msg.id, message: (err as Error).message });
  }
});
