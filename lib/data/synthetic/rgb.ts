/** An sRGB colour, 0-255 per channel. */
export type Rgb = [number, number, number];
