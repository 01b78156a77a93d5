/**
 * Live video between detections: where a face's box is in the next frame, from the eyes its landmarks gave in this
 * one. The detector runs every `liveDetectEvery` frames; in between, the 68-landmark net runs inside the box the eyes
 * predict: the last detection's box, moved and scaled with the eye centres since that detection, so the landmark net
 * sees the framing the detector gives it. Pure geometry (no DOM, no tfjs), tested in Node.
 */
import type { Point } from '../../data/align/geometry';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A face followed from frame to frame: its last detection (box and eyes then) and its latest eyes. */
export interface Track {
  anchorBox: Box;
  anchorEyes: [Point, Point];
  eyes: [Point, Point];
  score: number;
}

const mid = (e: [Point, Point]): Point => [(e[0][0] + e[1][0]) / 2, (e[0][1] + e[1][1]) / 2];
const dist = (e: [Point, Point]) => Math.hypot(e[1][0] - e[0][0], e[1][1] - e[0][1]);

/** The anchor box moved with the eye midpoint and scaled with the inter-ocular distance (anchor eyes -> `eyes`). */
export function trackedBox(t: Pick<Track, 'anchorBox' | 'anchorEyes'>, eyes: [Point, Point]): Box {
  const d0 = dist(t.anchorEyes);
  const s = d0 > 0 ? dist(eyes) / d0 : 1;
  const [m0x, m0y] = mid(t.anchorEyes);
  const [mx, my] = mid(eyes);
  const b = t.anchorBox;
  const cx = mx + s * (b.x + b.width / 2 - m0x);
  const cy = my + s * (b.y + b.height / 2 - m0y);
  return { x: cx - (s * b.width) / 2, y: cy - (s * b.height) / 2, width: s * b.width, height: s * b.height };
}

/** face-api's Box.clipAtImageBorders: the part of `b` inside a W x H image, floored (the crop the landmark net sees). */
export function clipBox(b: Box, W: number, H: number): Box {
  const x = Math.max(b.x, 0), y = Math.max(b.y, 0);
  const width = Math.min(b.x + b.width - x, W - x), height = Math.min(b.y + b.height - y, H - y);
  return { x: Math.floor(x), y: Math.floor(y), width: Math.floor(width), height: Math.floor(height) };
}

/**
 * Whether the eyes found inside a tracked box still look like the face it followed: inter-ocular distance within
 * 25% of the previous frame's, the eye midpoint moved by less than half that distance, and most of the box inside
 * the image. Otherwise the page runs the detector on the next frame.
 */
export function trackHolds(prev: [Point, Point], next: [Point, Point], box: Box, W: number, H: number): boolean {
  const d0 = dist(prev), d1 = dist(next);
  if (!(d0 > 0) || !(d1 > 0) || Math.abs(d1 / d0 - 1) > 0.25) return false;
  const [ax, ay] = mid(prev), [bx, by] = mid(next);
  if (Math.hypot(bx - ax, by - ay) > d0 / 2) return false;
  const c = clipBox(box, W, H);
  return c.width > 0 && c.height > 0 && c.width * c.height >= 0.6 * box.width * box.height;
}
