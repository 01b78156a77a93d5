import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  renderSyntheticFace, sampleIdentity, sampleNuisance, neutralNuisance, framing, contactSheet, auGallery,
} from '../../lib/data/synthetic';
import { DISFA_AUS, type DisfaAu } from '../../lib/data/aus';
import { applyAffine } from '../../lib/data/align/geometry';

const S = 96;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Mean absolute RGB difference, and the share of it above image row `split`. */
function diff(a: Uint8Array, b: Uint8Array, split: number): { mad: number; upper: number } {
  let tot = 0, up = 0;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(a[(y * S + x) * 4 + c] - b[(y * S + x) * 4 + c]);
        tot += d;
        if (y < split) up += d;
      }
    }
  }
  return { mad: tot / (S * S * 3), upper: tot ? up / tot : 0 };
}

test('renderSyntheticFace is deterministic: same arguments give the same PNG bytes, another seed another face', () => {
  const a = renderSyntheticFace('SN003', { AU12: 3, AU06: 2 }, { size: S, seed: 5, nuisance: true });
  const b = renderSyntheticFace('SN003', { AU12: 3, AU06: 2 }, { size: S, seed: 5, nuisance: true });
  const c = renderSyntheticFace('SN003', { AU12: 3, AU06: 2 }, { size: S, seed: 6, nuisance: true });
  assert.equal(sha(a), sha(b));
  assert.notEqual(sha(a), sha(c));
  assert.deepEqual([...a.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(renderSyntheticFace(sampleIdentity(5, 'SN003'), {}, { size: S, format: 'rgba' }).length, S * S * 4);
  const jpeg = renderSyntheticFace('SN003', {}, { size: S, format: 'jpeg' });
  assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
});

// Eye line at 0.42 S and nose tip ~0.45 face units (0.29 S each) below it: rows above 0.55 S are the upper face.
const SPLIT = Math.round(0.55 * S);
const UPPER: DisfaAu[] = ['AU01', 'AU02', 'AU04', 'AU05', 'AU06', 'AU09'];
const LOWER: DisfaAu[] = ['AU12', 'AU15', 'AU17', 'AU20', 'AU25', 'AU26'];

test('every AU changes the face where FACS says, visibly at intensity 1 and more with each level', () => {
  const base = renderSyntheticFace('SN001', {}, { size: S, format: 'rgba' });
  for (const au of DISFA_AUS) {
    const d = [1, 2, 3, 5].map((k) => diff(renderSyntheticFace('SN001', { [au]: k }, { size: S, format: 'rgba' }), base, SPLIT));
    assert.ok(d[0].mad > 0.02, `${au} at intensity 1 is invisible (${d[0].mad})`);
    for (let k = 1; k < d.length; k++) assert.ok(d[k].mad > d[k - 1].mad, `${au}: change does not grow with intensity (${d.map((x) => x.mad.toFixed(3))})`);
    if (UPPER.includes(au)) assert.ok(d[3].upper > 0.7, `${au}: only ${d[3].upper.toFixed(2)} of the change is in the upper face`);
    if (LOWER.includes(au)) assert.ok(d[3].upper < 0.25, `${au}: ${d[3].upper.toFixed(2)} of the change is in the upper face`);
  }
});

test('identities differ between subjects and are fixed for a subject', () => {
  assert.deepEqual(sampleIdentity(0, 'SN004'), sampleIdentity(0, 'SN004'));
  assert.notDeepEqual(sampleIdentity(0, 'SN004').face, sampleIdentity(0, 'SN005').face);
  const a = renderSyntheticFace('SN004', {}, { size: S, format: 'rgba' });
  const b = renderSyntheticFace('SN005', {}, { size: S, format: 'rgba' });
  assert.ok(diff(a, b, SPLIT).mad > 10);
});

test('nuisance stays within the bounds that keep the face in the frame, and varies over time', () => {
  const id = sampleIdentity(0, 'SN007');
  const rolls = new Set<number>();
  for (let t = 0; t < 4845; t += 7) {
    const n = sampleNuisance(id, t, t);
    assert.ok(Math.abs(n.roll) <= 0.18 && Math.abs(n.yaw) <= 0.35, `pose at t=${t}`);
    assert.ok(n.scale >= 0.9 && n.scale <= 1.1 && Math.abs(n.tx) <= 0.035 && Math.abs(n.ty) <= 0.035, `framing at t=${t}`);
    assert.ok(n.level >= 0.7 && n.level <= 1.25 && n.blur >= 0 && n.blur <= 1.1 && n.noise <= 0.1);
    rolls.add(Math.round(n.roll * 1000));
  }
  assert.ok(rolls.size > 20);
  // version 2 frames every face as real crops are (eyes at 0.4 of the side, 0.35 apart): at the extreme pose and
  // with the jaw fully dropped at yaw 12.6 degrees, the top of the lower lip (the open mouth) still lies inside the image (at 20 degrees of yaw the
  // eye-based crop zooms in and can cut it, as it does on real photos)
  const extreme = { ...neutralNuisance(), scale: 1.1, ty: 0.035, roll: 0.18, yaw: 0.22 };
  const { scene, crop } = framing(id, extreme, S);
  const lowerLip = applyAffine(crop, applyAffine(scene, [0, (id.mouth.y + 0.25 + 0.16) * id.face.stretch]));
  assert.ok(lowerLip[1] < S - 2 && lowerLip[1] > S / 2, `lower lip at y ${lowerLip[1].toFixed(1)} of ${S}`);
  const eyes = [-1, 1].map((sx) => applyAffine(crop, applyAffine(scene, [sx * id.eye.spacing * Math.cos(extreme.yaw), 0])));
  assert.ok(Math.abs(eyes[0][1] - 0.4 * S) < 0.1 * S && Math.abs(eyes[1][0] - eyes[0][0] - 0.35 * S) < 0.12 * S, `eyes at ${JSON.stringify(eyes)}`);
});

test('contact sheet and AU gallery are PNGs of the expected size', () => {
  const sheet = contactSheet({ seed: 1, frames: 60, count: 4, columns: 2, cell: 64, subjects: 3 });
  const gallery = auGallery({ seed: 1, cell: 48, aus: ['AU01', 'AU12'] });
  const dims = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];
  assert.deepEqual(dims(sheet), [128, 2 * (64 + 34)]);
  assert.deepEqual(dims(gallery), [150 + 6 * 48, 22 + 2 * 48]);
});
