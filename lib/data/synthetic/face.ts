/**
 * Draws the head in face units (origin: centre of the eye line), region by region in painting order: the head
 * behind the face, cheeks, forehead, eyes, brows, nose, beard, mouth and jaw, glasses, the hair in front. Each region's AU
 * appearance changes live in its own file under regions/.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { faceContext, type Intensities } from './face_context';
import type { Identity } from './identity';
import type { Nuisance } from './nuisance';
import { drawBrows, drawForehead } from './regions/brows';
import { drawCheeks, drawEyes } from './regions/eyes';
import { drawHairFront, drawHeadBack } from './regions/head';
import { drawBeard, drawGlasses } from './regions/extras';
import { drawMouth } from './regions/mouth';
import { drawNose } from './regions/nose';

export function drawFace(ctx: SKRSContext2D, id: Identity, au: Intensities, nz: Nuisance, skinTexture: Canvas | null = null): void {
  const fc = faceContext(ctx, id, au, nz, skinTexture);
  drawHeadBack(fc);
  drawCheeks(fc);
  drawForehead(fc);
  drawEyes(fc);
  drawBrows(fc);
  drawNose(fc);
  drawBeard(fc);
  drawMouth(fc);
  drawGlasses(fc);
  drawHairFront(fc);
}
