import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readStage2Search, searchRunLabel } from '../../lib/results/tuning';
import { stage2SearchFigure } from '../../lib/plots';

test('the committed stage-2 search holds the head-BatchNorm diagnosis and the preset run', () => {
  const s = readStage2Search();
  const i = s.find((r) => r.run === 'I')!;
  assert.equal(i.config.headBn, 'train');
  assert.match(i.diagnosis[0].text, /inference mode 5\.7477/);
  const j = s.find((r) => r.run === 'J')!;
  assert.deepEqual([j.config.size, j.config.epochs2, j.config.headBn, j.epochs.length], [128, 10, 'frozen', 10]);
  assert.equal(searchRunLabel(j), 'J: 128 px, lr 1e-4 warm-up 0.1 + cosine, head BN frozen');
});

test('the search figure starts each curve at the stage-1 validation loss and names a missing run', () => {
  const s = readStage2Search();
  const f = stage2SearchFigure(s, ['I', 'J']);
  const t = f.data[0] as unknown as { x: number[]; y: number[] };
  assert.deepEqual(t.x.slice(0, 2), [0, 1]);
  assert.equal(t.y[0], s.find((r) => r.run === 'I')!.stage1!.val_loss);
  assert.throws(() => stage2SearchFigure(s, ['Z']), /no run 'Z' in the search/);
});
