/**
 * The Sandbox's control endpoints show which picture went into which field: a sketch's lines are
 * traced, a structure's light and dark layout is kept, a style picture's palette colours the
 * result, and style transfer keeps init_image's layout in style_image's colours (so a swapped
 * request looks different). Rendered through the same `render` the Sandbox's server calls.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, type EndpointId } from '../../../shared/endpoints';
import { render } from '../../../electron/core/sandbox/render';

type Rgb = [number, number, number];

async function solid(width: number, height: number, rgb: Rgb): Promise<Buffer> {
  const [r, g, b] = rgb;
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
}

/** Left half `left`, right half `right`. */
async function halves(width: number, height: number, left: Rgb, right: Rgb): Promise<Buffer> {
  return sharp(await solid(width, height, right))
    .composite([{ input: await solid(width / 2, height, left), left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** White, with a black vertical bar in the middle (a "sketch"). */
async function sketch(size: number): Promise<Buffer> {
  return sharp(await solid(size, size, [255, 255, 255]))
    .composite([{ input: await solid(16, size, [0, 0, 0]), left: size / 2 - 8, top: 0 }])
    .png()
    .toBuffer();
}

/** Top dark blue, bottom light blue. */
async function blueGradient(size: number): Promise<Buffer> {
  const data = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = y / (size - 1);
      data.set(
        [Math.round(150 * t), Math.round(170 * t), Math.round(90 + 165 * t)],
        (y * size + x) * 3,
      );
    }
  }
  return sharp(data, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

async function draw(
  id: EndpointId,
  files: Record<string, Buffer>,
  text: Record<string, string> = {},
) {
  const infos = Object.fromEntries(
    await Promise.all(
      Object.entries(files).map(async ([name, bytes]) => {
        const meta = await sharp(bytes).metadata();
        const info = {
          kind: 'image' as const,
          width: meta.width,
          height: meta.height,
          bytes: bytes.length,
          format: 'png',
        };
        return [name, { bytes, info }] as const;
      }),
    ),
  );
  const out = await render({
    spec: ENDPOINTS[id],
    text: { prompt: 'a quiet harbour', ...text },
    files: infos,
    seed: 7,
    format: 'png',
    filtered: false,
  });
  const { data, info } = await sharp(out.bytes)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  /** The mean colour of a rectangle given in fractions of the picture. */
  const mean = (x0: number, y0: number, x1: number, y1: number): Rgb => {
    const sum: Rgb = [0, 0, 0];
    let n = 0;
    for (let y = Math.floor(y0 * info.height); y < Math.floor(y1 * info.height); y++) {
      for (let x = Math.floor(x0 * info.width); x < Math.floor(x1 * info.width); x++) {
        const i = (y * info.width + x) * 3;
        sum[0] += data[i] ?? 0;
        sum[1] += data[i + 1] ?? 0;
        sum[2] += data[i + 2] ?? 0;
        n++;
      }
    }
    return sum.map((v) => v / n) as Rgb;
  };
  return { mean, width: info.width, height: info.height, bytes: out.bytes };
}

const light = ([r, g, b]: Rgb) => 0.299 * r + 0.587 * g + 0.114 * b;

describe('the Sandbox shows the reference was used', () => {
  it("sketch: the sketch's lines are traced in dark ink, more as control_strength grows", async () => {
    const loose = await draw(
      'control.sketch',
      { image: await sketch(256) },
      { control_strength: '0.1' },
    );
    const close = await draw(
      'control.sketch',
      { image: await sketch(256) },
      { control_strength: '1' },
    );
    expect([close.width, close.height]).toEqual([256, 256]);
    const bar = (d: typeof close) => light(d.mean(0.49, 0.1, 0.51, 0.7));
    const paper = (d: typeof close) => light(d.mean(0.1, 0.1, 0.3, 0.7));
    expect(bar(close)).toBeLessThan(40);
    expect(paper(close) - bar(close)).toBeGreaterThan(50);
    expect(bar(loose)).toBeGreaterThan(bar(close));
  });

  it("structure: the picture's light and dark layout is kept", async () => {
    const out = await draw('control.structure', {
      image: await halves(320, 256, [0, 0, 0], [255, 255, 255]),
    });
    expect([out.width, out.height]).toEqual([320, 256]);
    expect(light(out.mean(0.55, 0, 1, 0.8)) - light(out.mean(0, 0, 0.45, 0.8))).toBeGreaterThan(80);
    const flipped = await draw('control.structure', {
      image: await halves(320, 256, [255, 255, 255], [0, 0, 0]),
    });
    expect(light(flipped.mean(0, 0, 0.45, 0.8))).toBeGreaterThan(
      light(flipped.mean(0.55, 0, 1, 0.8)) + 80,
    );
  });

  it("style guide: the style picture's palette colours the result", async () => {
    const red = await draw(
      'control.style',
      { image: await solid(256, 256, [200, 30, 30]) },
      { fidelity: '1' },
    );
    const [r, g, b] = red.mean(0, 0, 1, 0.85);
    expect(r - g).toBeGreaterThan(80);
    expect(r - b).toBeGreaterThan(80);
    const blue = await draw(
      'control.style',
      { image: await solid(256, 256, [30, 40, 210]) },
      { fidelity: '1' },
    );
    const [r2, , b2] = blue.mean(0, 0, 1, 0.85);
    expect(b2 - r2).toBeGreaterThan(80);
  });

  it("style transfer: init_image's layout in style_image's colours, and a swap shows", async () => {
    const init = await halves(320, 256, [0, 0, 0], [255, 255, 255]);
    const style = await blueGradient(128);
    const right = await draw('control.style-transfer', { init_image: init, style_image: style });
    const left = right.mean(0, 0, 0.45, 0.8);
    const rightHalf = right.mean(0.55, 0, 1, 0.8);
    expect(light(rightHalf) - light(left)).toBeGreaterThan(60);
    // The style's blue: blue well above red on both halves.
    expect(rightHalf[2] - rightHalf[0]).toBeGreaterThan(40);
    expect(left[2] - left[0]).toBeGreaterThan(30);

    const swapped = await draw('control.style-transfer', { init_image: style, style_image: init });
    const sLeft = swapped.mean(0, 0, 0.45, 0.8);
    const sRight = swapped.mean(0.55, 0, 1, 0.8);
    // The halves picture as style gives greys (no blue), and the gradient's layout runs top to bottom.
    expect(Math.abs(sLeft[2] - sLeft[0])).toBeLessThan(20);
    expect(Math.abs(light(sLeft) - light(sRight))).toBeLessThan(20);
    expect(light(swapped.mean(0, 0.6, 1, 0.8)) - light(swapped.mean(0, 0, 1, 0.2))).toBeGreaterThan(
      60,
    );
  });

  it('draws the same picture for the same request', async () => {
    const a = await draw('control.sketch', { image: await sketch(128) });
    const b = await draw('control.sketch', { image: await sketch(128) });
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });
});
