import { describe, expect, it } from 'vitest';
import {
  ENDPOINTS,
  ENDPOINT_IDS,
  MAX_REQUEST_BYTES,
  creditCost,
  defaultOf,
  endpoint,
  findEndpoint,
  findParam,
  outputSize,
  validateParams,
  type ImageInfo,
} from '../../../shared/endpoints';

const img = (width: number, height: number, bytes = 1000, format = 'png'): ImageInfo => ({
  kind: 'image',
  width,
  height,
  bytes,
  format,
});

describe('endpoint table', () => {
  it('lists every endpoint of the issue with a path, method and credits', () => {
    for (const id of [
      'generate.ultra',
      'generate.core',
      'generate.sd3',
      'upscale.fast',
      'upscale.conservative',
      'upscale.creative',
      'results',
      'edit.erase',
      'edit.inpaint',
      'edit.outpaint',
      'edit.search-and-replace',
      'edit.search-and-recolor',
      'edit.remove-background',
      'edit.replace-background-and-relight',
      'control.sketch',
      'control.structure',
      'control.style',
      'control.style-transfer',
      'account.balance',
    ]) {
      expect(ENDPOINT_IDS).toContain(id);
    }
    for (const spec of Object.values(ENDPOINTS)) {
      expect(spec.path.startsWith('/v')).toBe(true);
      expect(new Set(spec.params.map((p) => p.name)).size).toBe(spec.params.length);
    }
  });

  it('prices sd3 per model and the rest per endpoint', () => {
    const sd3 = endpoint('generate.sd3');
    expect(creditCost(sd3, {})).toBe(6.5);
    expect(creditCost(sd3, { model: 'sd3.5-large-turbo' })).toBe(4);
    expect(creditCost(sd3, { model: 'sd3.5-medium' })).toBe(3.5);
    expect(creditCost(sd3, { model: 'sd3.5-flash' })).toBe(2.5);
    expect(creditCost(endpoint('generate.ultra'))).toBe(8);
    expect(creditCost(endpoint('upscale.creative'))).toBe(60);
  });

  it('resolves model-dependent defaults', () => {
    const sd3 = endpoint('generate.sd3');
    const cfg = findParam(sd3, 'cfg_scale');
    expect(cfg && defaultOf(sd3, cfg, {})).toBe(4);
    expect(cfg && defaultOf(sd3, cfg, { model: 'sd3.5-flash' })).toBe(1);
  });

  it('computes output sizes from the table', () => {
    expect(outputSize(endpoint('generate.core'), { aspect_ratio: '1:1' })).toEqual({
      width: 1536,
      height: 1536,
    });
    expect(outputSize(endpoint('generate.ultra'), { aspect_ratio: '16:9' })).toEqual({
      width: 1344,
      height: 768,
    });
    expect(outputSize(endpoint('upscale.fast'), { image: img(100, 50) })).toEqual({
      width: 400,
      height: 200,
    });
    expect(
      outputSize(endpoint('edit.outpaint'), { image: img(100, 80), left: 10, down: '20' }),
    ).toEqual({ width: 110, height: 100 });
    const i2i = outputSize(endpoint('generate.sd3'), {
      mode: 'image-to-image',
      image: img(200, 100),
    });
    expect(i2i && i2i.width % 64).toBe(0);
    expect(i2i && i2i.width / i2i.height).toBeCloseTo(2, 0);
  });

  it('matches request paths, including results ids', () => {
    expect(findEndpoint('POST', '/v2beta/stable-image/generate/core')?.spec.id).toBe(
      'generate.core',
    );
    expect(findEndpoint('GET', '/v2beta/results/abc')).toMatchObject({ id: 'abc' });
    expect(findEndpoint('GET', '/v2beta/stable-image/generate/core')).toBeUndefined();
  });
});

describe('validateParams', () => {
  const core = endpoint('generate.core');
  const sd3 = endpoint('generate.sd3');

  it('accepts a minimal valid request and typed or wire values alike', () => {
    expect(validateParams(core, { prompt: 'a cat' })).toEqual({});
    expect(validateParams(sd3, { prompt: 'a', cfg_scale: '10', seed: '4294967294' })).toEqual({});
    expect(validateParams(sd3, { prompt: 'a', cfg_scale: 1, seed: 0 })).toEqual({});
  });

  it('reports missing, out of range, wrong enum and unknown fields', () => {
    const fields = validateParams(sd3, {
      cfg_scale: 10.5,
      seed: 4294967295,
      aspect_ratio: '4:3',
      output_format: 'gif',
      style_preset: 'watercolor',
      colour: 'red',
    });
    expect(Object.keys(fields).sort()).toEqual(
      [
        'aspect_ratio',
        'cfg_scale',
        'colour',
        'output_format',
        'prompt',
        'seed',
        'style_preset',
      ].sort(),
    );
    expect(fields.prompt).toBe('Required.');
    expect(fields.cfg_scale).toMatch(/between 1 and 10/);
    expect(validateParams(sd3, { prompt: 'a', seed: 1.5 }).seed).toMatch(/whole number/);
    expect(validateParams(sd3, { prompt: 'a', seed: -1 }).seed).toBeDefined();
    expect(validateParams(core, { prompt: 'x'.repeat(10_001) }).prompt).toMatch(/Too long/);
    expect(validateParams(core, { prompt: 'x'.repeat(10_000) })).toEqual({});
  });

  it('knows modes: sd3 image-to-image needs image and strength, and no aspect ratio', () => {
    const fields = validateParams(sd3, {
      prompt: 'a',
      mode: 'image-to-image',
      aspect_ratio: '1:1',
    });
    expect(Object.keys(fields).sort()).toEqual(['aspect_ratio', 'image', 'strength']);
    expect(
      validateParams(sd3, { prompt: 'a', mode: 'image-to-image', image: img(64, 64), strength: 0 }),
    ).toEqual({});
    expect(validateParams(sd3, { prompt: 'a', strength: 0.5 }).strength).toMatch(/text-to-image/);
    const ultra = endpoint('generate.ultra');
    expect(validateParams(ultra, { prompt: 'a', image: img(64, 64) }).strength).toBe('Required.');
    expect(validateParams(ultra, { prompt: 'a', image: img(64, 64), strength: 1 })).toEqual({});
  });

  it('checks image limits', () => {
    const fast = endpoint('upscale.fast');
    expect(validateParams(fast, { image: img(32, 32) })).toEqual({});
    expect(validateParams(fast, { image: img(31, 64) }).image).toMatch(/at least 32/);
    expect(validateParams(fast, { image: img(1537, 100) }).image).toMatch(/longer than 1,536/);
    expect(validateParams(fast, { image: img(1024, 1025) }).image).toMatch(/at most 1,048,576/);
    expect(validateParams(fast, { image: img(64, 64, 100, 'gif') }).image).toMatch(/not a/);
    const cons = endpoint('upscale.conservative');
    expect(validateParams(cons, { prompt: 'a', image: img(64, 161) }).image).toMatch(/narrow/);
    expect(validateParams(cons, { prompt: 'a', image: img(64, 160) })).toEqual({});
    expect(
      validateParams(cons, { prompt: 'a', image: img(64, 64, MAX_REQUEST_BYTES + 1) }).image,
    ).toMatch(/too big/);
  });

  it('applies cross-field rules', () => {
    const outpaint = endpoint('edit.outpaint');
    expect(validateParams(outpaint, { image: img(64, 64) }).left).toMatch(/at least one side/);
    expect(validateParams(outpaint, { image: img(64, 64), down: 1 })).toEqual({});
    const relight = endpoint('edit.replace-background-and-relight');
    expect(validateParams(relight, { subject_image: img(64, 64) }).background_prompt).toBeDefined();
    expect(
      validateParams(relight, {
        subject_image: img(64, 64),
        background_prompt: 'beach',
        light_source_strength: 0.5,
      }).light_source_strength,
    ).toBeDefined();
    expect(
      validateParams(relight, {
        subject_image: img(64, 64),
        background_prompt: 'beach',
        light_source_strength: 0.5,
        light_source_direction: 'left',
        keep_original_background: 'true',
      }),
    ).toEqual({});
  });

  it('does not require a prompt for erase (the schema bug in the doc)', () => {
    expect(validateParams(endpoint('edit.erase'), { image: img(64, 64) })).toEqual({});
  });
});

describe('findEndpoint with odd ids', () => {
  it('answers undefined for a malformed escape instead of throwing', () => {
    expect(findEndpoint('GET', '/v2beta/results/%E0%A4%A')).toBeUndefined();
  });
});
