/**
 * What the control endpoints draw in the Sandbox: each result shows, visibly and deterministically,
 * which picture went into which field, so a test can tell a right request from a swapped one.
 *
 *   sketch          the sketch's edges traced in dark ink over the prompt's pattern
 *                   (more ink as control_strength grows)
 *   structure       the structure picture's light and dark layout, coloured by the pattern
 *   style           the pattern's layout painted with the style picture's palette (fidelity: how much)
 *   style-transfer  init_image's light and dark layout painted with style_image's palette
 *
 * "Palette" is a gradient map: the style picture's pixels sorted by brightness, so a brightness of
 * the layout picture takes the colour the style picture has at that brightness.
 */
import { openImage } from '../images/open';
import type { Size } from '../../../shared/endpoints';
import { blend, type Raw } from './images';

/** The control endpoints' ids. */
export const CONTROL_ENDPOINTS = [
  'control.sketch',
  'control.structure',
  'control.style',
  'control.style-transfer',
] as const;
export type ControlEndpoint = (typeof CONTROL_ENDPOINTS)[number];

export function isControlEndpoint(id: string): id is ControlEndpoint {
  return (CONTROL_ENDPOINTS as readonly string[]).includes(id);
}

export interface ControlRequest {
  id: ControlEndpoint;
  size: Size;
  text: Readonly<Record<string, string>>;
  source: (name: string) => Buffer | undefined;
  /** The prompt's pattern at `size` (RGB). */
  art: () => Promise<Raw>;
}

const num = (value: string | undefined, fallback: number): number => {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : fallback;
};

/** A picture's brightness (one byte per pixel) at `size`, stretched to fill it. */
export async function luminanceOf(input: Buffer, size: Size): Promise<Buffer> {
  return openImage(input)
    .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
    .flatten({ background: '#ffffff' })
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer();
}

/** 256 colours: the picture's colour at each brightness (its pixels sorted by brightness). */
export async function paletteOf(input: Buffer): Promise<Uint8Array> {
  const side = 32;
  const data = await openImage(input)
    .resize(side, side, { fit: 'fill' })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const pixels: { l: number; rgb: [number, number, number] }[] = [];
  for (let p = 0; p < side * side; p++) {
    const r = data[p * 3] ?? 0;
    const g = data[p * 3 + 1] ?? 0;
    const b = data[p * 3 + 2] ?? 0;
    pixels.push({ l: 0.299 * r + 0.587 * g + 0.114 * b, rgb: [r, g, b] });
  }
  pixels.sort((a, b) => a.l - b.l || a.rgb[0] - b.rgb[0]);
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const pixel = pixels[Math.min(pixels.length - 1, Math.floor((i / 256) * pixels.length))];
    out.set(pixel?.rgb ?? [i, i, i], i * 3);
  }
  return out;
}

/** Colours a brightness map with a palette (gradient map). */
function mapped(luminance: Buffer, palette: Uint8Array, size: Size): Raw {
  const data = Buffer.alloc(size.width * size.height * 3);
  for (let p = 0; p < size.width * size.height; p++) {
    const l = luminance[p] ?? 0;
    data[p * 3] = palette[l * 3] ?? 0;
    data[p * 3 + 1] = palette[l * 3 + 1] ?? 0;
    data[p * 3 + 2] = palette[l * 3 + 2] ?? 0;
  }
  return { data, width: size.width, height: size.height, channels: 3 };
}

/** The brightness of an RGB picture, one byte per pixel. */
function brightness(raw: Raw): Buffer {
  const out = Buffer.alloc(raw.width * raw.height);
  for (let p = 0; p < out.length; p++) {
    const i = p * raw.channels;
    out[p] = Math.round(
      0.299 * (raw.data[i] ?? 0) + 0.587 * (raw.data[i + 1] ?? 0) + 0.114 * (raw.data[i + 2] ?? 0),
    );
  }
  return out;
}

/** Edge strength (0..255) of a brightness map: the larger of the horizontal and vertical steps. */
function edges(luminance: Buffer, size: Size): Buffer {
  const { width, height } = size;
  const out = Buffer.alloc(width * height);
  const at = (x: number, y: number) =>
    luminance[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))] ??
    0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const gx = Math.abs(at(x + 1, y) - at(x - 1, y));
      const gy = Math.abs(at(x, y + 1) - at(x, y - 1));
      // A dark stroke is an edge too (a line one pixel wide has no step across its own pixel).
      const ink = 255 - at(x, y);
      out[y * width + x] = Math.min(255, Math.max(gx, gy, ink > 96 ? ink : 0));
    }
  }
  return out;
}

/** Draws a control endpoint's result (RGB at `size`). */
export async function renderControl(req: ControlRequest): Promise<Raw> {
  const { id, size, text, source } = req;
  const need = (name: string): Buffer => {
    const bytes = source(name);
    if (!bytes) throw new Error(`${id}: no ${name}`);
    return bytes;
  };
  if (id === 'control.sketch') {
    const art = await req.art();
    const strength = num(text.control_strength, 0.7);
    const lines = edges(await luminanceOf(need('image'), size), size);
    const out = Buffer.from(art.data);
    for (let p = 0; p < size.width * size.height; p++) {
      const w = ((lines[p] ?? 0) / 255) * (0.35 + 0.65 * strength);
      for (let c = 0; c < 3; c++) out[p * 3 + c] = (out[p * 3 + c] ?? 0) * (1 - w) + 20 * w;
    }
    return { ...art, data: out };
  }
  if (id === 'control.structure') {
    const art = await req.art();
    const strength = num(text.control_strength, 0.7);
    const layout = await luminanceOf(need('image'), size);
    const out = Buffer.alloc(art.data.length);
    for (let p = 0; p < size.width * size.height; p++) {
      const light = (layout[p] ?? 0) / 255;
      const keep = 0.3 + 0.7 * strength;
      for (let c = 0; c < 3; c++) {
        const colour = art.data[p * 3 + c] ?? 0;
        const lit = 25 + light * 230 * (0.5 + colour / 510);
        out[p * 3 + c] = colour * (1 - keep) + lit * keep;
      }
    }
    return { ...art, data: out };
  }
  if (id === 'control.style') {
    const art = await req.art();
    const painted = mapped(brightness(art), await paletteOf(need('image')), size);
    return blend(art, painted, 0.5 + 0.5 * num(text.fidelity, 0.5));
  }
  const layout = await luminanceOf(need('init_image'), size);
  const painted = mapped(layout, await paletteOf(need('style_image')), size);
  const grey: Raw = { data: Buffer.alloc(layout.length * 3), ...size, channels: 3 };
  for (let p = 0; p < layout.length; p++) grey.data.fill(layout[p] ?? 0, p * 3, p * 3 + 3);
  const amount = 0.4 + 0.6 * num(text.style_strength, 1) * num(text.change_strength, 0.9);
  const styled = blend(grey, painted, Math.min(1, amount));
  // A little of the prompt's pattern where the composition may change.
  return blend(styled, await req.art(), 0.25 * (1 - num(text.composition_fidelity, 0.9)));
}
