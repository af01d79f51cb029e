/**
 * A property of prepareInput over the endpoint table: for every endpoint parameter that takes an
 * image, and many sizes near every limit it has (sides, pixel counts, shapes), what prepareInput
 * makes passes the table's own validation (shared/endpoints/validate.ts), measured from the bytes
 * it made. An input the endpoint takes as it is, or one that only has to shrink, is never refused.
 * (Known case: 5000×2000 for Conservative upscale was rounded to 2.501:1 and refused.)
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  checkImage,
  findParam,
  validateParams,
  type EndpointSpec,
  type ImageLimits,
} from '../../../shared/endpoints';
import { InputImageError, MAX_INPUT_PIXELS, prepareInput } from '../../../electron/core/images';
// The Sandbox's seeded generator (mulberry32), so a failing size can be run again.
import { random } from '../../../electron/core/sandbox/images';

interface Target {
  spec: EndpointSpec;
  param: string;
  limits: ImageLimits;
}

/** Every image parameter of the table, grouped by its limits (many share them). */
function targetsByLimits(): Map<string, Target[]> {
  const groups = new Map<string, Target[]>();
  for (const spec of Object.values(ENDPOINTS) as EndpointSpec[]) {
    for (const param of spec.params) {
      if (param.kind !== 'image' || !param.image) continue;
      const key = JSON.stringify(param.image);
      const list = groups.get(key) ?? [];
      list.push({ spec, param: param.name, limits: param.image });
      groups.set(key, list);
    }
  }
  return groups;
}

/** Largest test picture, to keep the run short (the limits themselves are all well below). */
const MAX_TEST_PIXELS = 12_500_000;

/** Sizes near every limit of `limits`: sides, pixel counts and shapes, one pixel either side. */
function sizesNear(limits: ImageLimits, seed: number): [number, number][] {
  const rng = random(seed);
  const wide = limits.maxAspect ?? 3;
  const tall = limits.minAspect ?? 1 / 3;
  const shapes = [1, wide, tall, wide * 1.0005, tall / 1.0005, 16 / 9, 9 / 16, wide - 0.01];
  const pixelTargets = [
    limits.minPixels,
    limits.maxPixels,
    limits.maxSide !== undefined ? limits.maxSide * limits.maxSide : undefined,
    limits.minSide !== undefined ? limits.minSide * limits.minSide : undefined,
    4_000_000,
  ].filter((p): p is number => p !== undefined);
  const sizes: [number, number][] =
    limits.maxAspect !== undefined
      ? [
          [5000, 2000],
          [2000, 5001],
        ]
      : [[5000, 2000]];
  for (const side of [limits.minSide, limits.maxSide]) {
    if (side === undefined) continue;
    for (const d of [-1, 0, 1]) {
      sizes.push([side + d, side + d]);
      sizes.push([side + d, Math.round((side + d) / wide)]);
      sizes.push([Math.round((side + d) * tall), side + d]);
    }
  }
  for (let i = 0; i < 8; i++) {
    const pixels = pixelTargets[Math.floor(rng() * pixelTargets.length)] ?? 4096;
    const shape = shapes[Math.floor(rng() * shapes.length)] ?? 1;
    const scale = 0.97 + rng() * 0.06;
    const w = Math.round(Math.sqrt(pixels * shape) * scale) + Math.floor(rng() * 3) - 1;
    const h = Math.round(Math.sqrt(pixels / shape) * scale) + Math.floor(rng() * 3) - 1;
    sizes.push([w, h]);
  }
  const seen = new Set<string>();
  return sizes.filter(([w, h]) => {
    const key = `${w}x${h}`;
    if (w < 1 || h < 1 || w * h > MAX_TEST_PIXELS || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function picture(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 90, b: 40 } } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/**
 * The table's verdict on an image for one parameter (its field message, or undefined), in the mode
 * that takes an image (SD 3.5's image-to-image).
 */
function verdict(
  target: Target,
  info: { width: number; height: number; bytes: number; format: string },
) {
  const mode = findParam(target.spec, 'mode') ? { mode: 'image-to-image' } : {};
  const values = { ...mode, [target.param]: { kind: 'image' as const, ...info } };
  return validateParams(target.spec, values)[target.param];
}

/** Whether an input must be accepted: the endpoint takes it as it is, or it only has to shrink. */
function mustAccept(limits: ImageLimits, width: number, height: number): boolean {
  if (width * height > MAX_INPUT_PIXELS) return false;
  const asIs = checkImage(limits, { kind: 'image', width, height, format: 'png', bytes: 1 });
  if (asIs === undefined) return true;
  const aspect = width / height;
  const inShape =
    (limits.minAspect === undefined || aspect >= limits.minAspect) &&
    (limits.maxAspect === undefined || aspect <= limits.maxAspect);
  // Shrinking keeps the shape: a generous margin over the minimums means it stays above them.
  const roomy = Math.min(width, height) >= 4 * (limits.minSide ?? 1);
  return inShape && roomy;
}

describe('prepareInput makes what every endpoint of the table accepts', () => {
  const groups = [...targetsByLimits().values()];

  it('covers every image parameter of the table', () => {
    const names = groups.flat().map((t) => `${t.spec.id}.${t.param}`);
    expect(names).toContain('upscale.conservative.image');
    expect(names).toContain('upscale.creative.image');
    expect(names).toContain('upscale.fast.image');
    expect(names.length).toBeGreaterThanOrEqual(10);
  });

  it.each(
    groups.map(
      (targets, i) =>
        [targets.map((t) => `${t.spec.id}.${t.param}`).join(', '), targets, i] as const,
    ),
  )(
    '%s',
    async (_names, targets, index) => {
      const first = targets[0];
      if (!first) return;
      const problems: string[] = [];
      let prepared = 0;
      for (const [w, h] of sizesNear(first.limits, 1000 + index)) {
        const input = await picture(w, h);
        let out;
        try {
          out = await prepareInput({ bytes: input, name: `${w}x${h}.png` }, first.limits, {
            target: first.spec.label,
          });
        } catch (error) {
          if (!(error instanceof InputImageError)) throw error;
          expect(error.message).toMatch(/\.$/);
          if (mustAccept(first.limits, w, h)) problems.push(`${w}×${h} refused: ${error.message}`);
          continue;
        }
        prepared += 1;
        const meta = await sharp(out.bytes).metadata();
        const info = {
          width: meta.width,
          height: meta.height,
          bytes: out.bytes.length,
          format: meta.format,
        };
        expect({ width: out.width, height: out.height }).toEqual({
          width: info.width,
          height: info.height,
        });
        for (const target of targets) {
          const message = verdict(target, info);
          if (message)
            problems.push(
              `${w}×${h} → ${info.width}×${info.height} for ${target.spec.id}: ${message}`,
            );
        }
      }
      expect(problems).toEqual([]);
      expect(prepared).toBeGreaterThan(3);
    },
    120_000,
  );

  it('5000×2000 for Conservative upscale is scaled to a size it takes (it was 2.501:1)', async () => {
    const limits = ENDPOINTS['upscale.conservative'].params.find((p) => p.name === 'image')?.image;
    if (!limits) throw new Error('Conservative upscale takes an image');
    const out = await prepareInput({ bytes: await picture(5000, 2000) }, limits, {
      target: 'Conservative upscale',
    });
    expect(out.width / out.height).toBeLessThanOrEqual(2.5);
    expect(out.width * out.height).toBeLessThanOrEqual(limits.maxPixels ?? Infinity);
    expect(
      verdict(
        { spec: ENDPOINTS['upscale.conservative'], param: 'image', limits },
        {
          width: out.width,
          height: out.height,
          bytes: out.bytes.length,
          format: out.format,
        },
      ),
    ).toBeUndefined();
  });
});
