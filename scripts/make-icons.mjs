// Draws the app icons (PNG) for the web app manifest: 192 and 512 px with rounded corners,
// and a 512 px maskable one whose check mark stays inside the safe zone. The PNGs are
// committed; run this again only to change the design:  node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const GREEN = [0x0f, 0x5c, 0x4a];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

/** `inset` shrinks the check mark towards the centre (maskable icons are cropped). */
function draw(size, { rounded, inset }) {
  const rgba = Buffer.alloc(size * size * 4);
  const scale = (p) => (0.5 + (p - 0.5) * inset) * size;
  const check = [[0.25, 0.52], [0.42, 0.69], [0.76, 0.33]].map(([x, y]) => [scale(x), scale(y)]);
  const half = 0.055 * size * inset;
  const radius = rounded ? 0.22 * size : 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      // Coverage of the rounded square (1 inside, 0 outside, smooth over one pixel).
      const cx = Math.max(radius - px, 0, px - (size - radius));
      const cy = Math.max(radius - py, 0, py - (size - radius));
      const square = radius ? Math.max(0, Math.min(1, radius - Math.hypot(cx, cy) + 0.5)) : 1;
      const d = Math.min(distanceToSegment(px, py, check[0], check[1]), distanceToSegment(px, py, check[1], check[2]));
      const mark = Math.max(0, Math.min(1, half - d + 0.5));
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(GREEN[c] + (WHITE[c] - GREEN[c]) * mark);
      rgba[i + 3] = Math.round(255 * square);
    }
  }
  return png(size, rgba);
}

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), draw(192, { rounded: true, inset: 1 }));
writeFileSync(new URL('icon-512.png', out), draw(512, { rounded: true, inset: 1 }));
writeFileSync(new URL('icon-maskable-512.png', out), draw(512, { rounded: false, inset: 0.7 }));
console.log('icons written to public/icons/');
