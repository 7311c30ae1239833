#!/usr/bin/env node
'use strict';
/*
 * Generates the Teams app icons (no dependencies):
 *   appPackage/color.png    192×192, full colour: white speech bubble with a pointer arrow on the accent colour
 *   appPackage/outline.png   32×32, white on transparent (the same bubble, arrow cut out)
 * Usage: node scripts/make-icons.js [outDir]
 */
const fs = require('node:fs');
const path = require('node:path');
const { encodePng } = require('./app-package/png');

const ACCENT = [0x5b, 0x5f, 0xc7];

function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  const d1 = s(x, y, ax, ay, bx, by);
  const d2 = s(x, y, bx, by, cx, cy);
  const d3 = s(x, y, cx, cy, ax, ay);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

/** The glyph in a 192-unit design space: 'bubble', 'arrow' or null. */
function glyph(x, y) {
  const arrow = (x >= 58 && x <= 112 && y >= 79 && y <= 95) || inTriangle(x, y, [106, 60], [106, 114], [138, 87]);
  const bubble = inRoundRect(x, y, 32, 38, 160, 136, 20) || inTriangle(x, y, [56, 130], [94, 130], [50, 164]);
  if (bubble && arrow) return 'arrow';
  if (bubble) return 'bubble';
  return null;
}

/** Renders size×size RGBA with 4×4 supersampling. paint(kind) → [r,g,b,a] for 'bubble' | 'arrow' | null. */
function render(size, paint) {
  const px = Buffer.alloc(size * size * 4);
  const ss = 4;
  const scale = 192 / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const [pr, pg, pb, pa] = paint(glyph((x + (sx + 0.5) / ss) * scale, (y + (sy + 0.5) / ss) * scale));
          r += pr * pa; g += pg * pa; b += pb * pa; a += pa;
        }
      }
      const i = (y * size + x) * 4;
      const n = ss * ss;
      px[i + 3] = Math.round(a / n);
      if (a > 0) {
        px[i] = Math.round(r / a);
        px[i + 1] = Math.round(g / a);
        px[i + 2] = Math.round(b / a);
      }
    }
  }
  return px;
}

function makeIcons(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const color = render(192, (k) => (k === 'bubble' ? [255, 255, 255, 255] : [...ACCENT, 255]));
  const outline = render(32, (k) => (k === 'bubble' ? [255, 255, 255, 255] : [255, 255, 255, 0]));
  const files = { 'color.png': encodePng(192, 192, color), 'outline.png': encodePng(32, 32, outline) };
  for (const [name, buf] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), buf);
  return Object.keys(files).map((n) => path.join(outDir, n));
}

module.exports = { makeIcons };

if (require.main === module) {
  const out = path.resolve(process.argv[2] || path.join(__dirname, '..', 'appPackage'));
  for (const f of makeIcons(out)) process.stdout.write(`wrote ${path.relative(process.cwd(), f)}\n`);
}
