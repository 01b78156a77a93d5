import * as path from 'path';
import { MANIFESTS_DIR, loadManifest, requireStrings } from '../util/manifest';

/** One published method's DISFA result. F1 in percent, as published. */
export interface BaselineRow {
  method: string;
  venue: string;
  /** per-AU F1 (%), keys = `BaselinesManifest.aus`; null when only the average was published (DRML) */
  perAu: Record<string, number> | null;
  /** the average as the source reports it (show this one) */
  averageReported: number;
  /** present when the reported average needs a caveat: EAC-Net's per-AU values average to 57.4, not 48.5 */
  averageNote?: string;
  source: string;
}

/** A published row with per-AU values (the rows a per-AU chart or table can draw). */
export type PerAuBaselineRow = BaselineRow & { perAu: Record<string, number> };

export interface BaselinesManifest {
  schemaVersion: 1;
  description: string;
  dataset: 'disfa';
  metric: string;
  aus: string[];
  rows: BaselineRow[];
}

/** data-manifests/baselines.json in this checkout. */
export const BASELINES_FILE = path.join(MANIFESTS_DIR, 'baselines.json');

/**
 * Reads and validates the published DISFA baselines (data-manifests/baselines.json, through the one manifest
 * loader lib/util/manifest). Figures and notebooks read baselines from here only. Errors name the file and the field.
 */
export function loadBaselines(file: string = BASELINES_FILE): BaselinesManifest {
  let aus: string[] = [];
  return loadManifest<BaselinesManifest>(file, {
    top: (raw, fail) => {
      if (raw.dataset !== 'disfa') fail('dataset', `must be "disfa", got ${JSON.stringify(raw.dataset)}`);
      const a = raw.aus;
      if (!Array.isArray(a) || a.length === 0 || !a.every((x) => typeof x === 'string' && /^AU\d\d$/.test(x))) {
        fail('aus', 'must be a non-empty list of AU names like "AU01"');
      }
      aus = a as string[];
    },
    row: (row, at, fail) => {
      requireStrings(row, ['method', 'venue', 'source'], at, fail);
      if (!isPercent(row.averageReported)) fail(`${at}.averageReported`, `must be a number in [0, 100], got ${row.averageReported}`);
      if (row.averageNote !== undefined && typeof row.averageNote !== 'string') fail(`${at}.averageNote`, 'must be a string');
      if (row.perAu === null) {
        if (row.averageNote === undefined) fail(`${at}.averageNote`, 'is required when perAu is null (say why)');
        return;
      }
      if (typeof row.perAu !== 'object' || row.perAu === undefined || Array.isArray(row.perAu)) fail(`${at}.perAu`, 'must be an object or null');
      const perAu = row.perAu as Record<string, unknown>;
      for (const au of aus) if (!isPercent(perAu[au])) fail(`${at}.perAu.${au}`, `must be a number in [0, 100], got ${perAu[au]}`);
      const extra = Object.keys(perAu).filter((k) => !aus.includes(k));
      if (extra.length) fail(`${at}.perAu`, `has AUs not in "aus": ${extra.join(', ')}`);
    },
  });
}

/** Mean of a row's per-AU F1 over `aus` (null for average-only rows). Not rounded. */
export function recomputedAverage(row: BaselineRow, aus: string[]): number | null {
  if (row.perAu === null) return null;
  return aus.reduce((a, au) => a + (row.perAu as Record<string, number>)[au], 0) / aus.length;
}

function isPercent(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100;
}
