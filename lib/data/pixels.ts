/**
 * Pixel steps shared by Node (lib/data/image.ts, on @napi-rs/canvas) and the exported page (lib/export/page/crop.ts,
 * on the browser's canvas), so predict and the page crop faces with the same code. Pure: no Node or DOM import (the
 * page's build, lib/export/compile.ts, rejects any), only a structural 2D context that both canvases satisfy.
 */

/** The part of a 2D canvas context the warp uses; `S` is what its drawImage accepts. */
export interface WarpContext<S> {
  fillStyle: unknown;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  drawImage(image: S, dx: number, dy: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8Array | Uint8ClampedArray };
}

/** RGBA bytes -> RGB bytes. */
export function rgbaToRgb(rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  const n = rgba.length >> 2;
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i * 3] = rgba[j];
    out[i * 3 + 1] = rgba[j + 1];
    out[i * 3 + 2] = rgba[j + 2];
  }
  return out;
}

/**
 * Warps `source` by the affine map `m` = [a, b, c, d, e, f] (canvas setTransform order: a source point (x, y) lands
 * at (a x + c y + e, b x + d y + f)) into the top-left size x size of `ctx` over black; returns its RGB bytes
 * [size, size, 3]. The context's smoothing settings are the caller's (both callers use imageSmoothingQuality 'high').
 */
export function warpIntoRgb<S>(ctx: WarpContext<S>, source: S, size: number, m: readonly number[]): Uint8Array {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, size, size);
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
  ctx.drawImage(source, 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return rgbaToRgb(ctx.getImageData(0, 0, size, size).data);
}
