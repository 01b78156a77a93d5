/**
 * What one dataset frame shows: its AU intensities and its imaging conditions, from (seed, subject, frame)
 * only, so any worker (or the contact sheet) renders frame i of a subject to the same bytes.
 */
import { deriveSeed } from '../../util/rng';
import { DISFA_AUS, type DisfaAu } from '../aus';
import type { Identity } from './identity';
import { sampleNuisance, type Nuisance } from './render';
import type { SubjectLabels } from './trajectory';

/** Intensities of frame index `i` (0-based; file frame number i + 1). */
export function frameIntensities(labels: Pick<SubjectLabels, 'intensity'>, i: number): Record<DisfaAu, number> {
  const out = {} as Record<DisfaAu, number>;
  for (const au of DISFA_AUS) out[au] = labels.intensity[au][i];
  return out;
}

/** Imaging conditions of frame index `i`: smooth in the frame's timeline time, per-frame seed deriveSeed(seed, 'frame', subject, i + 1). */
export function frameNuisance(seed: number, id: Identity, labels: Pick<SubjectLabels, 'time'>, i: number): Nuisance {
  return sampleNuisance(id, labels.time[i], deriveSeed(seed, 'frame', id.subject, i + 1));
}
