/**
 * Drawing the results over the frame: each face's box, and next to it one bar per AU (the sigmoid score, a tick at
 * the run's threshold, filled in colour when the AU is present), sized to the frame so it reads on a phone too.
 */
import type { FacePrediction, SiteConfig } from '../site_config';

const PRESENT = '#e4572e';
const ABSENT = '#8aa1b1';

/** Where a panel of size w x h goes beside `box` inside a W x H frame: right, else left, else below, clamped. */
export function panelPosition(box: FacePrediction['box'], w: number, h: number, W: number, H: number): { x: number; y: number } {
  const gap = Math.max(4, Math.round(W / 150));
  let x = box.x + box.width + gap;
  let y = box.y;
  if (x + w > W) x = box.x - gap - w;
  if (x < 0) {
    x = Math.min(Math.max(0, box.x), W - w);
    y = box.y + box.height + gap;
    if (y + h > H) y = box.y - gap - h;
  }
  return { x: Math.max(0, Math.min(x, W - w)), y: Math.max(0, Math.min(y, H - h)) };
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
  for (const f of faces) {
    ctx.lineWidth = Math.max(2, font / 5);
    ctx.strokeStyle = '#ffd400';
    ctx.strokeRect(f.box.x, f.box.y, f.box.width, f.box.height);
    const p = panelPosition(f.box, panelW, panelH, W, H);
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
