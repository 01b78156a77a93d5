import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PassThrough } from 'stream';
import { createProgressReporter, formatDuration } from '../../lib/train/progress';

function capture(tty: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  let text = '';
  stream.on('data', (d) => (text += d.toString()));
  let t = 0;
  const report = createProgressReporter({ stream, tty, intervalS: 10, now: () => t });
  return { report, advance: (s: number) => (t += s * 1000), text: () => text };
}

test('formatDuration writes hours, minutes and seconds', () => {
  assert.equal(formatDuration(5), '5s');
  assert.equal(formatDuration(185), '3m05s');
  assert.equal(formatDuration(3720), '1h02m');
  assert.equal(formatDuration(NaN), '?');
});

test('in a terminal the bar line is rewritten in place with loss, validation F1 and ETA', () => {
  const c = capture(true);
  c.report({ kind: 'epoch', stage: 2, epoch: 1, epochs: 3, loss: 0.5, valLoss: 0.6, valMeanF1: 0.42, seconds: 30, improved: true, stop: false });
  c.report({ kind: 'step', phase: 'stage2', epoch: 2, epochs: 3, step: 0, steps: 10 });
  c.advance(20);
  c.report({ kind: 'step', phase: 'stage2', epoch: 2, epochs: 3, step: 5, steps: 10, loss: 0.25 });
  const last = c.text().split('\r').pop()!;
  assert.match(last, /^stage2 epoch 2\/3 \[#{12}\.{12}\] 5\/10 loss 0\.2500 valF1 0\.420 ETA 20s/);
  assert.ok(!c.text().endsWith('\n'));
  assert.match(c.text(), /^stage 2 epoch 1\/3: loss 0\.5000 val_loss 0\.6000 val_meanF1 0\.4200 \(30s\) \*, stage ETA <= 1m00s\n/);
});

test('without a terminal only periodic plain lines are printed, never carriage returns', () => {
  const c = capture(false);
  for (let s = 0; s <= 20; s++) {
    c.report({ kind: 'step', phase: 'stage1', epoch: 1, epochs: 1, step: s, steps: 20, loss: 1 });
    c.advance(1);
  }
  const lines = c.text().trim().split('\n');
  assert.ok(!c.text().includes('\r'));
  // at t=0 (phase start), every 10 s after, and the last step
  assert.deepEqual(lines.map((l) => l.split(' ')[4]), ['10/20', '20/20']);
});
