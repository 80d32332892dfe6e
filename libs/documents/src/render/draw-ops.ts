/**
 * What a page is made of, independent of how it is written to PDF. Layouts
 * produce these (positions already resolved, in points from the bottom left
 * of an A4 page); the renderer writes them. Keeping the two apart lets the
 * benchmark render the very same page the naive pdf-lib way.
 */
export type DrawOp =
  | { op: 'text'; x: number; y: number; size: number; text: string; color?: Rgb; /** Degrees, counter-clockwise about (x, y). */ angle?: number }
  | { op: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; color?: Rgb; /** Dash and gap lengths in points. */ dash?: [number, number] }
  | { op: 'rect'; x: number; y: number; width: number; height: number; lineWidth: number; fill?: Rgb }
  | { op: 'circle'; x: number; y: number; radius: number; lineWidth: number; color: Rgb }
  | { op: 'qr'; x: number; y: number; size: number; data: string };

/** 0…1 per channel. */
export type Rgb = [number, number, number];

/** A4 in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
