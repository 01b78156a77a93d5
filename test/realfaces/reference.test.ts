import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { auReference, referenceAgreement, referenceLabel } from '../../lib/realfaces/reference';

const probs = (p: Partial<Record<string, number>>) => ({ neutral: 0, happy: 0, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0, ...p });

test('auReference sums the probabilities of the expressions whose EMFACS prototype holds the AU; AU25 follows AU26', () => {
  const r = auReference(probs({ happy: 0.2, sad: 0.5, fearful: 0.1, surprised: 0.15, neutral: 0.05 }));
  // AU1: sad + surprise + fear = 0.5 + 0.15 + 0.1; AU2: surprise + fear; AU4: anger + sad + fear; AU12 = AU6 = happy
  assert.ok(Math.abs(r.AU01 - 0.75) < 1e-12);
  assert.ok(Math.abs(r.AU02 - 0.25) < 1e-12);
  assert.ok(Math.abs(r.AU04 - 0.6) < 1e-12);
  assert.equal(r.AU12, 0.2);
  assert.equal(r.AU06, 0.2);
  assert.ok(Math.abs(r.AU26 - 0.25) < 1e-12);
  assert.equal(r.AU25, r.AU26);
  assert.equal(r.AU09, 0);
  assert.equal(r.AU15, 0.5);
  assert.deepEqual(Object.keys(r).sort(), ['AU01', 'AU02', 'AU04', 'AU05', 'AU06', 'AU07', 'AU09', 'AU12', 'AU15', 'AU20', 'AU23', 'AU25', 'AU26']);
  assert.throws(() => auReference({ happy: 0.5 }), /expression 'neutral' must be a probability/);
});

test('referenceLabel: present at >= 0.6, absent at <= 0.1, otherwise not confident', () => {
  assert.deepEqual([0.6, 0.95, 0.1, 0, 0.3, 0.59].map(referenceLabel), [1, 1, 0, 0, null, null]);
  assert.equal(referenceLabel(undefined), null);
});

test('referenceAgreement: AUC over confident faces only, null without both classes, a bootstrap interval around it', () => {
  const faces = [
    { scores: { AU12: 0.9, AU01: 0.2, AU02: 0.5 }, reference: auReference(probs({ happy: 0.95, neutral: 0.05 })) },
    { scores: { AU12: 0.4, AU01: 0.3, AU02: 0.5 }, reference: auReference(probs({ happy: 0.7, sad: 0.3 })) },
    { scores: { AU12: 0.6, AU01: 0.9, AU02: 0.5 }, reference: auReference(probs({ sad: 0.9, neutral: 0.1 })) },
    { scores: { AU12: 0.1, AU01: 0.1, AU02: 0.5 }, reference: auReference(probs({ neutral: 1 })) },
    { scores: { AU12: 0.99, AU01: 0.99, AU02: 0.5 }, reference: auReference(probs({ happy: 0.4, neutral: 0.6 })) }, // not confident for AU12
  ];
  const [a12, a1, a2] = referenceAgreement(faces, ['AU12', 'AU01', 'AU02'], { resamples: 500 });
  // AU12: positives 0.9, 0.4; negatives 0.6, 0.1 -> pairs 0.9>0.6, 0.9>0.1, 0.4<0.6, 0.4>0.1 = 3/4
  assert.deepEqual([a12.positives, a12.negatives, a12.auc], [2, 2, 0.75]);
  assert.ok(a12.ci !== null && a12.ci.low <= 0.75 && a12.ci.high >= 0.75 && a12.ci.low >= 0 && a12.ci.high <= 1);
  // AU01: the sad face is positive (score 0.9); happy 0.95, neutral and happy 0.4 are negatives (0.2, 0.1, 0.99);
  // happy/sad 0.7/0.3 (AU1 reference 0.3) is left out: AUC = 2/3
  assert.deepEqual([a1.positives, a1.negatives, a1.auc], [1, 3, 2 / 3]);
  assert.deepEqual([a2.positives, a2.auc, a2.ci], [0, null, null]);
});
