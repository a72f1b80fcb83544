/*
 * Draws the Teams app icons into appPackage/ with pngjs:
 *   color.png   192×192  NHS-blue (#005EB8) rounded square with a white tick
 *   outline.png  32×32   white rounded-square outline and tick on transparent (Teams requires
 *                        every pixel to be transparent or white)
 * Shapes are signed-distance functions, anti-aliased by 4×4 supersampling.
 * Run: npx tsx scripts/makeIcons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;

type Point = readonly [number, number];
/** Negative inside, positive outside, in pixels. */
type Sdf = (x: number, y: number) => number;

const NHS_BLUE = [0x00, 0x5e, 0xb8] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Sdf {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - r;
  const hy = (y1 - y0) / 2 - r;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
    return outside + Math.min(Math.max(qx, qy), 0) - r;
  };
}

/** A ring of the given width along a shape's edge, inside it. */
function border(shape: Sdf, width: number): Sdf {
  return (x, y) => {
    const d = shape(x, y);
    return Math.max(d, -(d + width));
  };
}

/** A stroked polyline with round caps and joins. */
function polyline(points: readonly Point[], width: number): Sdf {
  return (x, y) => {
    let best = Infinity;
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1]!;
      const [bx, by] = points[i]!;
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
      best = Math.min(best, Math.hypot(x - (ax + t * dx), y - (ay + t * dy)));
    }
    return best - width / 2;
  };
}

function union(...shapes: Sdf[]): Sdf {
  return (x, y) => Math.min(...shapes.map((s) => s(x, y)));
}

const SS = 4;

/** Fraction (0..1) of the pixel at (px, py) covered by the shape. */
function coverage(shape: Sdf, px: number, py: number): number {
  let hits = 0;
  for (let i = 0; i < SS; i++) {
    for (let j = 0; j < SS; j++) {
      if (shape(px + (i + 0.5) / SS, py + (j + 0.5) / SS) <= 0) hits++;
    }
  }
  return hits / (SS * SS);
}

interface Layer {
  shape: Sdf;
  rgb: readonly [number, number, number];
}

/** Paints layers bottom to top with "over" compositing; untouched pixels stay transparent white. */
function render(size: number, layers: readonly Layer[]): InstanceType<typeof PNG> {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 255;
      let g = 255;
      let b = 255;
      let a = 0;
      for (const layer of layers) {
        const c = coverage(layer.shape, x, y);
        if (c === 0) continue;
        const outA = c + a * (1 - c);
        r = (layer.rgb[0] * c + r * a * (1 - c)) / outA;
        g = (layer.rgb[1] * c + g * a * (1 - c)) / outA;
        b = (layer.rgb[2] * c + b * a * (1 - c)) / outA;
        a = outA;
      }
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(r);
      png.data[i + 1] = Math.round(g);
      png.data[i + 2] = Math.round(b);
      png.data[i + 3] = Math.round(a * 255);
    }
  }
  return png;
}

/** The 192×192 colour icon: the tick sits in the central safe area. */
export function colorIcon(): InstanceType<typeof PNG> {
  const tick: Point[] = [
    [56, 100],
    [84, 128],
    [138, 68],
  ];
  return render(192, [
    { shape: roundedRect(0, 0, 192, 192, 36), rgb: NHS_BLUE },
    { shape: polyline(tick, 20), rgb: WHITE },
  ]);
}

/** The 32×32 outline icon: white only, on transparent. */
export function outlineIcon(): InstanceType<typeof PNG> {
  const tick: Point[] = [
    [9.5, 16.5],
    [14, 21],
    [22.5, 11.5],
  ];
  return render(32, [
    {
      shape: union(border(roundedRect(1, 1, 31, 31, 7), 2), polyline(tick, 3)),
      rgb: WHITE,
    },
  ]);
}

export function appPackageDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'appPackage');
}

function main(): void {
  const dir = appPackageDir();
  mkdirSync(dir, { recursive: true });
  for (const [name, png] of [
    ['color.png', colorIcon()],
    ['outline.png', outlineIcon()],
  ] as const) {
    const file = path.join(dir, name);
    const buffer = PNG.sync.write(png, { colorType: 6 });
    writeFileSync(file, buffer);
    console.log(`${path.relative(process.cwd(), file)}: ${png.width}×${png.height}, ${buffer.length} bytes`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
