import * as path from 'path';
import { MANIFESTS_DIR, loadManifest, requireStrings } from '../util/manifest';
import type { BackbonePoint } from '../plots';

/** One network of data-manifests/imagenet-top1.json (published facts, each with its source). */
export interface ImagenetRow {
  name: string;
  /** lib/models backbone name, or null for reference networks the project does not build. */
  backbone: string | null;
  selected: boolean;
  /** Top-1 accuracy (%), single centre crop, as Keras measured it. */
  top1: number;
  top1Source: string;
  /** Top-1 (%) the architecture's paper reports, when it differs. */
  top1Paper?: number;
  top1PaperSource?: string;
  multAdds: number;
  multAddsSource: string;
  params: number;
  paramsSource: string;
}

export interface ImagenetManifest {
  schemaVersion: 1;
  description: string;
  rows: ImagenetRow[];
}

/** data-manifests/imagenet-top1.json in this checkout. */
export const IMAGENET_TOP1_FILE = path.join(MANIFESTS_DIR, 'imagenet-top1.json');

/** Reads and validates the ImageNet facts (the one manifest loader, lib/util/manifest); errors name the file and the field. */
export function loadImagenetTop1(file: string = IMAGENET_TOP1_FILE): ImagenetManifest {
  return loadManifest<ImagenetManifest>(file, {
    row: (r, at, fail) => {
      requireStrings(r, ['name', 'top1Source', 'multAddsSource', 'paramsSource'], at, fail);
      if (typeof r.selected !== 'boolean') fail(`${at}.selected`, 'must be true or false');
      if (r.backbone !== null && typeof r.backbone !== 'string') fail(`${at}.backbone`, 'must be a backbone name or null');
      if (typeof r.top1 !== 'number' || !(r.top1 > 0 && r.top1 <= 100)) fail(`${at}.top1`, `must be a percentage, got ${r.top1}`);
      for (const k of ['multAdds', 'params']) {
        if (typeof r[k] !== 'number' || !((r[k] as number) > 0)) fail(`${at}.${k}`, `must be a positive number, got ${r[k]}`);
      }
    },
  });
}

/** The manifest's rows as bubble-chart points (G mult-adds, M parameters). */
export function imagenetPoints(m: ImagenetManifest = loadImagenetTop1()): BackbonePoint[] {
  return m.rows.map((r) => ({
    name: r.name,
    top1: r.top1,
    gMultAdds: r.multAdds / 1e9,
    paramsM: r.params / 1e6,
    selected: r.selected,
    source: r.top1Source,
  }));
}

/** The manifest as a Markdown table with the source of every number. */
export function imagenetTable(m: ImagenetManifest = loadImagenetTop1()): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = '| Network | Top-1 (%) | Mult-adds @224 | Parameters (with top) | Sources |\n| --- | --- | --- | --- | --- |';
  const rows = m.rows.map(
    (r) =>
      `| ${r.name}${r.selected ? ' (selected)' : ''} | ${r.top1.toFixed(1)}${r.top1Paper !== undefined ? ` (paper: ${r.top1Paper})` : ''} | ${(r.multAdds / 1e9).toFixed(2)} G | ${(r.params / 1e6).toFixed(1)} M | ${esc(`top-1: ${r.top1Source}${r.top1PaperSource ? `; paper: ${r.top1PaperSource}` : ''}; mult-adds: ${r.multAddsSource}; parameters: ${r.paramsSource}`)} |`,
  );
  return [head, ...rows].join('\n');
}
