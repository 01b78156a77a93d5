/**
 * Figures of the synthetic set for the dataset-tour notebook and the README: a contact sheet of dataset frames
 * labelled with their AUs, and an AU gallery (each studied AU at intensity 0..5 on one identity).
 */
import { createCanvas } from '@napi-rs/canvas';
import { Rng } from '../../util/rng';
import { DISFA_AUS, PAPER_AUS, PRESENCE_THRESHOLD, AU_INFO, type DisfaAu } from '../aus';
import { sampleIdentity } from './identity';
import { FaceRenderer, neutralNuisance } from './render';
import { synthesizeSubjectLabels, syntheticSubjects } from './trajectory';
import { frameNuisance, frameIntensities } from './frame';

/**
 * A PNG grid of `count` dataset frames (subjects in order, random frames, 3 of 4 with some AU present): the
 * frames `writeSyntheticDisfa` writes with the same seed and frames (same labels, identity, pose, lighting,
 * noise), rendered at the cell size, captioned with subject, frame number and the AUs with intensity >= 1
 * as `AU:intensity` (present ones, >= 2, in bold black; intensity 1 in grey).
 */
export function contactSheet(opts: { seed?: number; frames?: number; count?: number; columns?: number; cell?: number; subjects?: number } = {}): Buffer {
  const seed = opts.seed ?? 0;
  const frames = opts.frames ?? 4845;
  const count = opts.count ?? 18;
  const cols = opts.columns ?? 6;
  const cell = opts.cell ?? 144;
  const subjects = syntheticSubjects(opts.subjects ?? 27);
  const rng = new Rng(seed ^ 0x5eed);
  const rows = Math.ceil(count / cols);
  const capH = 34;
  const canvas = createCanvas(cols * cell, rows * (cell + capH));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const renderer = new FaceRenderer(cell);
  const labels = new Map<string, ReturnType<typeof synthesizeSubjectLabels>>();
  for (let k = 0; k < count; k++) {
    const subject = k < subjects.length ? subjects[k] : rng.pick(subjects);
    let lab = labels.get(subject);
    if (!lab) labels.set(subject, (lab = synthesizeSubjectLabels({ seed, subject, frames })));
    // prefer frames with an AU present (3 of 4 cells), so the sheet shows expressions, not mostly neutral faces
    let i = rng.int(0, lab.frames - 1);
    for (let tries = 0; tries < 200 && k % 4 !== 3; tries++) {
      if (DISFA_AUS.some((au) => lab!.intensity[au][i] >= PRESENCE_THRESHOLD)) break;
      i = rng.int(0, lab.frames - 1);
    }
    const id = sampleIdentity(seed, subject);
    const au = frameIntensities(lab, i);
    renderer.render(id, au, frameNuisance(seed, id, lab, i));
    const x = (k % cols) * cell, y = Math.floor(k / cols) * (cell + capH);
    ctx.drawImage(renderer.canvas(), x, y);
    ctx.font = '11px DejaVu Sans';
    ctx.fillStyle = '#333';
    ctx.fillText(`${subject} frame ${i + 1}`, x + 4, y + cell + 12);
    let tx = x + 4;
    const active = DISFA_AUS.filter((a) => au[a]! >= 1);
    if (active.length === 0) {
      ctx.fillStyle = '#888';
      ctx.fillText('neutral', tx, y + cell + 27);
    }
    for (const a of active) {
      const text = `${Number(a.slice(2))}:${au[a]}`;
      ctx.fillStyle = au[a]! >= PRESENCE_THRESHOLD ? '#000' : '#999';
      ctx.font = au[a]! >= PRESENCE_THRESHOLD ? 'bold 11px DejaVu Sans' : '11px DejaVu Sans';
      ctx.fillText(text, tx, y + cell + 27);
      tx += ctx.measureText(text).width + 5;
    }
  }
  return canvas.encodeSync('png');
}

/**
 * A PNG grid: one row per AU (default the paper's 8), intensity 0..5 across, all on one identity with neutral
 * pose and lighting, so the appearance change of each AU and its growth with intensity can be seen.
 */
export function auGallery(opts: { seed?: number; subject?: string; aus?: readonly DisfaAu[]; cell?: number } = {}): Buffer {
  const seed = opts.seed ?? 0;
  const aus = opts.aus ?? PAPER_AUS;
  const cell = opts.cell ?? 128;
  const id = sampleIdentity(seed, opts.subject ?? 'SN001');
  const left = 150, top = 22;
  const canvas = createCanvas(left + 6 * cell, top + aus.length * cell);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const renderer = new FaceRenderer(cell);
  ctx.fillStyle = '#000';
  ctx.font = 'bold 13px DejaVu Sans';
  for (let v = 0; v <= 5; v++) ctx.fillText(`intensity ${v}`, left + v * cell + cell / 2 - 32, 16);
  aus.forEach((au, r) => {
    for (let v = 0; v <= 5; v++) {
      renderer.render(id, { [au]: v }, neutralNuisance());
      ctx.drawImage(renderer.canvas(), left + v * cell, top + r * cell);
    }
    ctx.fillStyle = '#000';
    ctx.font = 'bold 15px DejaVu Sans';
    ctx.fillText(au, 8, top + r * cell + cell / 2 - 6);
    ctx.font = '11px DejaVu Sans';
    ctx.fillText(AU_INFO[au].facsName, 8, top + r * cell + cell / 2 + 12);
  });
  return canvas.encodeSync('png');
}
