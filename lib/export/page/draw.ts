/**
 * Drawing the results over the frame: each face's box, and next to it one bar per AU (the sigmoid score, a tick at
 * the run's threshold, filled in colour when the AU is present), sized to the frame so it reads on a phone too.
 */
import type { FacePrediction, SiteConfig } from '../site_config';

const PRESENT = '#e4572e';
const ABSENT = '#8aa1b1';

type Rect = { x: number; y: number; width: number; height: number };

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Where a w x h panel goes beside `box` inside a W x H frame: right of it, else left, below, above (the first that
 * stays inside the frame and clear of `avoid`: the other faces and the panels already placed), else clamped right.
 */
export function panelPosition(box: Rect, w: number, h: number, W: number, H: number, avoid: Rect[] = []): { x: number; y: number } {
  const gap = Math.max(4, Math.round(W / 150));
  const clampY = (y: number) => Math.max(0, Math.min(y, H - h));
  const clampX = (x: number) => Math.max(0, Math.min(x, W - w));
  const candidates = [
    { x: box.x + box.width + gap, y: clampY(box.y) },
    { x: box.x - gap - w, y: clampY(box.y) },
    { x: clampX(box.x), y: box.y + box.height + gap },
    { x: clampX(box.x), y: box.y - gap - h },
  ];
  const fits = (c: { x: number; y: number }) => c.x >= 0 && c.y >= 0 && c.x + w <= W && c.y + h <= H && !avoid.some((r) => overlaps({ ...c, width: w, height: h }, r));
  const inside = (c: { x: number; y: number }) => c.x >= 0 && c.y >= 0 && c.x + w <= W && c.y + h <= H;
  const c = candidates.find(fits) ?? candidates.find(inside) ?? candidates[0];
  return { x: clampX(c.x), y: clampY(c.y) };
}

/** Draws `frame` into `view` (resized to the frame) and the predictions over it. */
export function drawPredictions(view: HTMLCanvasElement, frame: CanvasImageSource & { width: number; height: number }, faces: FacePrediction[], config: SiteConfig): void {
  const W = frame.width, H = frame.height;
  if (view.width !== W || view.height !== H) {
    view.width = W;
    view.height = H;
  }
  const ctx = view.getContext('2d')!;
  ctx.drawImage(frame, 0, 0);
  const font = Math.max(10, Math.round(Math.min(W, H) / 32));
  const rowH = Math.round(font * 1.35), labelW = font * 3, barW = font * 6, pad = Math.round(font / 2);
  const panelW = labelW + barW + 2 * pad, panelH = rowH * config.aus.length + 2 * pad;
  ctx.font = `${font}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  const placed: Rect[] = [];
  for (const f of faces) {
    ctx.lineWidth = Math.max(2, font / 5);
    ctx.strokeStyle = '#ffd400';
    ctx.strokeRect(f.box.x, f.box.y, f.box.width, f.box.height);
    const p = panelPosition(f.box, panelW, panelH, W, H, [...faces.filter((o) => o !== f).map((o) => o.box), ...placed]);
    placed.push({ ...p, width: panelW, height: panelH });
    ctx.fillStyle = 'rgba(20, 24, 28, 0.78)';
    ctx.fillRect(p.x, p.y, panelW, panelH);
    config.aus.forEach((au, k) => {
      const y = p.y + pad + k * rowH, x0 = p.x + pad + labelW;
      const s = f.scores[au], t = config.thresholds[k];
      ctx.fillStyle = '#fff';
      ctx.fillText(au, p.x + pad, y + rowH / 2);
      ctx.fillStyle = 'rgba(255,255,255,0.15)';
      ctx.fillRect(x0, y + rowH * 0.2, barW, rowH * 0.6);
      ctx.fillStyle = f.present[au] ? PRESENT : ABSENT;
      ctx.fillRect(x0, y + rowH * 0.2, barW * s, rowH * 0.6);
      ctx.fillStyle = '#fff';
      ctx.fillRect(x0 + barW * t - 1, y + rowH * 0.05, 2, rowH * 0.9);
    });
  }
}
