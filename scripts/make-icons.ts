/**
 * Draws Keyhold's toolbar icons: a white keyhole (a circle over a tapering slot) on a rounded
 * square with an indigo-to-teal gradient. Writes `assets/icon-{16,32,48,128}.png` and
 * `assets/icon.svg` from one geometry, so they always match (the popup's `BrandMark` copies it).
 *
 * No image library: shapes are rasterised with 8×8 supersampling for anti-aliasing, and the
 * PNG (RGBA, 8 bits) is encoded by hand: signature, IHDR, one zlib IDAT, IEND, each chunk
 * with its CRC-32.
 *
 * Run: `npx tsx scripts/make-icons.ts`
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

/** The geometry, in units of the icon's side (0..1). */
const SHAPE = {
  cornerRadius: 0.225,
  circle: { cx: 0.5, cy: 0.4, r: 0.155 },
  /** The slot: a trapezoid, narrow where it meets the circle, wide at the bottom. */
  slot: { top: 0.44, topHalfWidth: 0.062, bottom: 0.76, bottomHalfWidth: 0.115 },
  /** Gradient from the top-left corner to the bottom-right one. */
  from: [0x43, 0x38, 0xca] as const,
  to: [0x0e, 0x74, 0x90] as const,
};

/**
 * Each size and how much its glyph is enlarged about the glyph's middle: at 16 px the keyhole
 * at its true size is a few pixels wide and reads as a cross, so small icons get a bolder one.
 */
const SIZES = [
  { size: 16, glyphScale: 1.25 },
  { size: 32, glyphScale: 1.1 },
  { size: 48, glyphScale: 1 },
  { size: 128, glyphScale: 1 },
] as const;
const GLYPH_MIDDLE = { x: 0.5, y: 0.56 };
const SUBSAMPLES = 8;

type Rgb = readonly [number, number, number];

function inRoundedSquare(x: number, y: number): boolean {
  const r = SHAPE.cornerRadius;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return x >= 0 && x <= 1 && y >= 0 && y <= 1 && dx * dx + dy * dy <= r * r;
}

function inKeyhole(px: number, py: number, scale: number): boolean {
  const x = GLYPH_MIDDLE.x + (px - GLYPH_MIDDLE.x) / scale;
  const y = GLYPH_MIDDLE.y + (py - GLYPH_MIDDLE.y) / scale;
  const { cx, cy, r } = SHAPE.circle;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  const s = SHAPE.slot;
  if (y < s.top || y > s.bottom) return false;
  const t = (y - s.top) / (s.bottom - s.top);
  return Math.abs(x - 0.5) <= s.topHalfWidth + t * (s.bottomHalfWidth - s.topHalfWidth);
}

function gradientAt(x: number, y: number): Rgb {
  const t = Math.min(1, Math.max(0, (x + y) / 2));
  const mix = (i: 0 | 1 | 2) => SHAPE.from[i] + t * (SHAPE.to[i] - SHAPE.from[i]);
  return [mix(0), mix(1), mix(2)];
}

/** Rasterises the icon at `size`×`size` into straight (not premultiplied) RGBA bytes. */
function rasterise(size: number, glyphScale: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = SUBSAMPLES * SUBSAMPLES;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Accumulate premultiplied colour over the samples, then un-premultiply.
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SUBSAMPLES) / size;
          const y = (py + (sy + 0.5) / SUBSAMPLES) / size;
          if (!inRoundedSquare(x, y)) continue;
          const [cr, cg, cb] = inKeyhole(x, y, glyphScale) ? ([255, 255, 255] as const) : gradientAt(x, y);
          r += cr; g += cg; b += cb; a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / n) * 255);
      }
    }
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses it). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encodes straight RGBA (8 bits per channel) as a PNG. */
function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  if (rgba.length !== width * height * 4) throw new RangeError(`rgba must be ${width * height * 4} bytes, got ${rgba.length}`);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, colour type 6 (RGBA), deflate, no filter set, no interlace
  // Each scanline starts with its filter type; 0 (None) is plenty for icons this small.
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const hex = (rgb: Rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
const u = (v: number) => +(v * 64).toFixed(2);

/** The same icon as SVG, on a 64-unit canvas. */
function iconSvg(): string {
  const { circle: c, slot: s } = SHAPE;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">',
    '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">',
    `<stop offset="0" stop-color="${hex(SHAPE.from)}"/><stop offset="1" stop-color="${hex(SHAPE.to)}"/>`,
    '</linearGradient></defs>',
    `<rect width="64" height="64" rx="${u(SHAPE.cornerRadius)}" fill="url(#g)"/>`,
    `<circle cx="${u(c.cx)}" cy="${u(c.cy)}" r="${u(c.r)}" fill="#fff"/>`,
    `<path d="M${u(0.5 - s.topHalfWidth)} ${u(s.top)}H${u(0.5 + s.topHalfWidth)}L${u(0.5 + s.bottomHalfWidth)} ${u(s.bottom)}H${u(0.5 - s.bottomHalfWidth)}Z" fill="#fff"/>`,
    '</svg>\n',
  ].join('');
}

function main(): void {
  const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');
  mkdirSync(assets, { recursive: true });
  for (const { size, glyphScale } of SIZES) {
    writeFileSync(join(assets, `icon-${size}.png`), encodePng(size, size, rasterise(size, glyphScale)));
  }
  writeFileSync(join(assets, 'icon.svg'), iconSvg());
  console.log(`wrote ${SIZES.map((s) => `icon-${s.size}.png`).join(', ')}, icon.svg to ${assets}`);
}

main();
