import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  presenceTargets, programRates, synthesizeLabels, synthesizeSubjectLabels, syntheticSubjects, formatLabelFile,
  framesForSubject, type SubjectLabels,
} from '../../lib/data/synthetic';
import { DISFA_AUS, PAPER_AUS, TABLE1_COUNTS, type DisfaAu } from '../../lib/data/aus';

// DISFA's subject ids as listed in shared/reference/baselines.md (typed here independently of lib/).
const DISFA_IDS = [
  'SN001', 'SN002', 'SN003', 'SN004', 'SN005', 'SN006', 'SN007', 'SN008', 'SN009', 'SN010', 'SN011', 'SN012', 'SN013',
  'SN016', 'SN017', 'SN018', 'SN021', 'SN023', 'SN024', 'SN025', 'SN026', 'SN027', 'SN028', 'SN029', 'SN030', 'SN031', 'SN032',
];
const TABLE1 = { AU01: 6506, AU02: 5644, AU04: 19933, AU06: 10327, AU09: 5473, AU12: 16851, AU25: 36247, AU26: 11533 };

function present(s: SubjectLabels, au: DisfaAu, i: number): boolean {
  return s.intensity[au][i] >= 2;
}
function count(subs: SubjectLabels[], pred: (s: SubjectLabels, i: number) => boolean): number {
  let c = 0;
  for (const s of subs) for (let i = 0; i < s.frames; i++) if (pred(s, i)) c++;
  return c;
}

// one full 27 x 4845 label run (no rendering), shared by the tests below
const full = synthesizeLabels({ seed: 0 });
const nFull = full.reduce((a, s) => a + s.frames, 0);

test('the full synthetic set has 27 subjects with DISFA ids and 130,814 frames (SN010 has 4844)', () => {
  assert.deepEqual(full.map((s) => s.subject), DISFA_IDS);
  assert.equal(nFull, 130814);
  for (const s of full) assert.equal(s.frames, s.subject === 'SN010' ? 4844 : 4845, s.subject);
  assert.equal(framesForSubject('SN010', 60), 60);
});

test('--subjects N takes the first N DISFA ids in order', () => {
  assert.deepEqual(syntheticSubjects(1), ['SN001']);
  assert.deepEqual(syntheticSubjects(14), DISFA_IDS.slice(0, 14));
  assert.deepEqual(synthesizeLabels({ seed: 3, subjects: 17, frames: 5 }).map((s) => s.subject), DISFA_IDS.slice(0, 17));
  assert.throws(() => syntheticSubjects(28), /\[1, 27\]/);
  assert.throws(() => syntheticSubjects(0), /\[1, 27\]/);
});

test('a subject\'s labels do not depend on how many subjects are generated', () => {
  const few = synthesizeLabels({ seed: 0, subjects: 3 });
  for (let k = 0; k < 3; k++) for (const au of DISFA_AUS) assert.deepEqual(few[k].intensity[au], full[k].intensity[au]);
});

test('program rates solve the targets exactly: the union over programs gives every AU its target rate', () => {
  const targets = presenceTargets();
  for (const au of PAPER_AUS) assert.equal(targets[au], TABLE1[au] / 130814);
  const programs = programRates();
  for (const p of programs) assert.ok(p.rate >= 0, p.name);
  // expected rate of each AU within its layer (exclusive programs add), then the union of the two layers
  for (const au of DISFA_AUS) {
    const layer = (name: 'expression' | 'mouth') => programs
      .filter((p) => p.layer === name)
      .reduce((a, p) => a + p.rate * p.aus.filter((g) => g.aus.includes(au)).reduce((b, g) => b + g.p, 0), 0);
    const union = 1 - (1 - layer('expression')) * (1 - layer('mouth'));
    assert.ok(Math.abs(union - targets[au]) < 1e-12, `${au}: ${union} vs ${targets[au]}`);
  }
});

test('presence frequencies over 27 x 4845 frames are within 6% (relative) of the paper\'s Table 1', () => {
  for (const au of PAPER_AUS) {
    const c = count(full, (s, i) => present(s, au, i));
    const expected = (TABLE1_COUNTS[au] * nFull) / 130814;
    assert.ok(Math.abs(c - expected) / expected < 0.06, `${au}: ${c} present frames, Table 1 ${TABLE1_COUNTS[au]}`);
  }
});

test('co-occurrence is DISFA-like: AU2 with AU1, AU12 with AU6, AU26 with AU25, AU4 mostly alone', () => {
  const p = (a: DisfaAu) => count(full, (s, i) => present(s, a, i)) / nFull;
  const cond = (b: DisfaAu, a: DisfaAu) =>
    count(full, (s, i) => present(s, a, i) && present(s, b, i)) / count(full, (s, i) => present(s, a, i));
  assert.ok(cond('AU02', 'AU01') > 0.6, `P(AU2|AU1) = ${cond('AU02', 'AU01')}`);
  assert.ok(cond('AU12', 'AU06') > 0.75, `P(AU12|AU6) = ${cond('AU12', 'AU06')}`);
  assert.ok(cond('AU26', 'AU25') > 2 * p('AU26'), `P(AU26|AU25) = ${cond('AU26', 'AU25')}, P(AU26) = ${p('AU26')}`);
  // AU4 frames: almost never with the other studied brow/cheek/nose/smile AUs (the mouth may talk)
  const others: DisfaAu[] = ['AU01', 'AU02', 'AU06', 'AU09', 'AU12'];
  const alone = count(full, (s, i) => present(s, 'AU04', i) && !others.some((o) => present(s, o, i)));
  assert.ok(alone / count(full, (s, i) => present(s, 'AU04', i)) > 0.95);
});

test('intensities are integers 0-5, every AU has frames at intensity 1 (visible, not present), trajectories move by at most 2 levels a frame', () => {
  for (const au of DISFA_AUS) {
    const hist = [0, 0, 0, 0, 0, 0];
    let bigSteps = 0;
    for (const s of full) {
      const v = s.intensity[au];
      for (let i = 0; i < v.length; i++) {
        assert.ok(Number.isInteger(v[i]) && v[i] <= 5);
        hist[v[i]]++;
        if (i > 0 && Math.abs(v[i] - v[i - 1]) > 2) bigSteps++;
      }
    }
    assert.ok(hist[1] > 0.005 * nFull, `${au} intensity-1 frames: ${hist[1]}`);
    assert.ok(hist[5] > 0, `${au} never reaches 5`);
    assert.equal(bigSteps, 0, au);
  }
});

test('presence frequencies hold for short subjects: 60 frames per subject, averaged over 12 seeds, within 8% of Table 1', () => {
  const counts: Record<string, number> = {};
  let n = 0;
  for (let seed = 100; seed < 112; seed++) {
    const subs = synthesizeLabels({ seed, frames: 60 });
    n += subs.reduce((a, s) => a + s.frames, 0);
    for (const au of PAPER_AUS) counts[au] = (counts[au] ?? 0) + count(subs, (s, i) => present(s, au, i));
  }
  assert.equal(n, 12 * 27 * 60);
  for (const au of PAPER_AUS) {
    const expected = (TABLE1_COUNTS[au] / 130814) * n;
    assert.ok(Math.abs(counts[au] - expected) / expected < 0.08, `${au}: ${counts[au]} vs ${expected.toFixed(0)}`);
  }
});

test('labels are deterministic from the seed and differ between seeds', () => {
  const a = synthesizeSubjectLabels({ seed: 7, subject: 'SN004', frames: 500 });
  const b = synthesizeSubjectLabels({ seed: 7, subject: 'SN004', frames: 500 });
  const c = synthesizeSubjectLabels({ seed: 8, subject: 'SN004', frames: 500 });
  for (const au of DISFA_AUS) assert.deepEqual(a.intensity[au], b.intensity[au]);
  assert.ok(DISFA_AUS.some((au) => a.intensity[au].some((v, i) => v !== c.intensity[au][i])));
});

test('a label file is one `frame,intensity` line per frame, 1-based and consecutive', () => {
  assert.equal(formatLabelFile([0, 3, 5, 1]), '1,0\n2,3\n3,5\n4,1\n');
  const text = formatLabelFile(full[9].intensity.AU12);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 4844);
  lines.forEach((l, k) => assert.match(l, new RegExp(`^${k + 1},[0-5]$`)));
});
