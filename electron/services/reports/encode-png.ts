import { PNG } from 'pngjs';
import type { RgbaImage } from '../../../shared/export/key-images.ts';

/** Encodes an 8-bit RGBA raster as PNG bytes (pngjs, deflate level 6). */
export function encodePng(img: RgbaImage): Buffer {
  if (img.data.length !== img.width * img.height * 4) {
    throw new RangeError(`RGBA buffer has ${img.data.length} bytes, expected ${img.width}×${img.height}×4`);
  }
  const png = new PNG({ width: img.width, height: img.height, colorType: 6, inputColorType: 6, bitDepth: 8 });
  Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength).copy(png.data);
  return PNG.sync.write(png, { deflateLevel: 6 });
}
