/**
 * Deterministic pictures for the sample generators: a seeded random source, a painter that makes
 * a distinct little scene per seed (sky and ground gradients, sun, boxes, grain), and encoders
 * (jpeg-js, pngjs). Pure JavaScript, so the bytes are the same on every machine.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** mulberry32: small, fast and good enough to vary test pictures and names. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export function int(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

export function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

const SUN = [255, 236, 150] as const;

/** RGBA pixels of a small scene that depends only on `seed`. */
export function paint(seed: number, width: number, height: number): Buffer {
  const r = rng(seed * 2654435761);
  const data = Buffer.alloc(width * height * 4);
  const sky = [int(r, 40, 140), int(r, 90, 200), int(r, 160, 255)] as const;
  const top = [int(r, 0, 80), int(r, 20, 120), int(r, 80, 200)] as const;
  const ground = [int(r, 30, 200), int(r, 60, 180), int(r, 10, 120)] as const;
  const horizon = Math.floor(height * (0.4 + r() * 0.3));
  const sun = { x: r() * width, y: r() * horizon, rad: 3 + r() * Math.min(width, height) * 0.15 };
  const boxes = Array.from({ length: int(r, 1, 4) }, () => ({
    x0: Math.floor(r() * width),
    y0: Math.floor(horizon - r() * height * 0.3),
    w: Math.ceil(r() * width * 0.3) + 2,
    h: Math.ceil(r() * height * 0.3) + 2,
    c: [int(r, 0, 255), int(r, 0, 255), int(r, 0, 255)] as const,
  }));
  const sun2 = sun.rad ** 2;
  for (let y = 0; y < height; y++) {
    // the row's colour: sky fading to the horizon, then ground darkening towards the bottom
    const sky_ = y < horizon;
    const t = sky_ ? y / horizon : (y - horizon) / Math.max(1, height - horizon);
    const row = sky_ ? [0, 1, 2].map((i) => top[i]! + (sky[i]! - top[i]!) * t) : ground.map((v) => v * (1 - 0.5 * t));
    for (let x = 0; x < width; x++) {
      let c: readonly number[] = row;
      if (sky_ && (x - sun.x) ** 2 + (y - sun.y) ** 2 < sun2) c = SUN;
      for (const b of boxes) {
        if (x >= b.x0 && x < b.x0 + b.w && y >= b.y0 && y < b.y0 + b.h) c = b.c;
      }
      const grain = (r() - 0.5) * 16;
      const o = (y * width + x) * 4;
      data[o] = clamp(c[0]! + grain);
      data[o + 1] = clamp(c[1]! + grain);
      data[o + 2] = clamp(c[2]! + grain);
      data[o + 3] = 255;
    }
  }
  return data;
}

/** Slightly warmer and brighter: what a photo editor's "auto" does, for `-edited` copies. */
export function edit(pixels: Buffer): Buffer {
  const out = Buffer.from(pixels);
  for (let o = 0; o < out.length; o += 4) {
    out[o] = clamp(out[o]! * 1.08 + 12);
    out[o + 1] = clamp(out[o + 1]! * 1.04 + 6);
    out[o + 2] = clamp(out[o + 2]! * 0.95);
  }
  return out;
}

export function encodeJpeg(pixels: Buffer, width: number, height: number, quality = 85): Buffer {
  return jpeg.encode({ data: pixels, width, height }, quality).data;
}

/**
 * A PNG stored without compression: zlib's deflate output may differ between builds (Node's
 * bundled zlib picks its hash by CPU), stored blocks never do.
 */
export function encodePng(pixels: Buffer, width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  pixels.copy(png.data);
  return PNG.sync.write(png, { deflateLevel: 0, filterType: 0 });
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
