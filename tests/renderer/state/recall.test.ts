/**
 * Full recall: a library recipe put back into Create's form. Each endpoint Create has comes back
 * with every setting the recipe holds; what cannot come back is named in one sentence; a recipe
 * that names values the form cannot send (a newer version, another tool, a hostile file) brings
 * none of them into the form.
 */
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../../shared/endpoints';
import { INITIAL_FORM, paramsOf, targetOf } from '../../../renderer/state/create-form';
import {
  endpointOfPath,
  recallOf,
  recallSentence,
  type RecallSource,
} from '../../../renderer/state/recall';

function source(overrides: Partial<RecallSource> = {}): RecallSource {
  return {
    operation: 'text-to-image',
    endpoint: ENDPOINTS['generate.sd3'].path,
    model: 'sd3.5-large',
    prompt: 'a lighthouse at dusk',
    negativePrompt: 'blurry',
    seed: 1234,
    params: {},
    inputs: [],
    ...overrides,
  };
}

describe('recallOf', () => {
  it('an SD 3.5 Transform: tab, model, CFG, strength, format, seed and the input by role', () => {
    const recall = recallOf(
      source({
        operation: 'image-to-image',
        model: 'sd3.5-medium',
        params: {
          model: 'sd3.5-medium',
          mode: 'image-to-image',
          prompt: 'a lighthouse at dusk',
          cfg_scale: 6.5,
          strength: 0.35,
          output_format: 'jpeg',
          seed: 1234,
        },
        inputs: [{ role: 'image' }],
      }),
    );
    expect(recall.missing).toEqual([]);
    expect(recall.inputRole).toBe('image');
    expect(recall.form).toMatchObject({
      tab: 'transform',
      model: 'sd3.5-medium',
      cfgScale: 6.5,
      strength: 0.35,
      outputFormat: 'jpeg',
      seedMode: 'fixed',
      seed: 1234,
      prompt: 'a lighthouse at dusk',
      negativePrompt: 'blurry',
    });
    // The form sends what the picture was made with.
    const form = { ...recall.form, count: 1 };
    expect(targetOf(form)).toEqual({ endpoint: 'generate.sd3', kind: 'image-to-image' });
    expect(paramsOf(form)).toMatchObject({
      model: 'sd3.5-medium',
      mode: 'image-to-image',
      cfg_scale: 6.5,
      strength: 0.35,
      output_format: 'jpeg',
      seed: 1234,
    });
  });

  it('Core and Ultra come back by their endpoint (their recipes name no model)', () => {
    for (const [key, id] of [
      ['generate.core', 'core'],
      ['generate.ultra', 'ultra'],
    ] as const) {
      const recall = recallOf(
        source({
          endpoint: ENDPOINTS[key].path,
          model: null,
          params: { aspect_ratio: '16:9', style_preset: 'anime', output_format: 'webp' },
        }),
      );
      expect(recall.missing).toEqual([]);
      expect(recall.form).toMatchObject({
        tab: 'generate',
        model: id,
        aspectRatio: '16:9',
        stylePreset: 'anime',
        outputFormat: 'webp',
      });
    }
  });

  it('an upscale: the upscaler and its creativity, and the picture to upscale', () => {
    const recall = recallOf(
      source({
        operation: 'upscale',
        endpoint: ENDPOINTS['upscale.creative'].path,
        model: null,
        params: { creativity: 0.2 },
        inputs: [{ role: 'image' }],
      }),
    );
    expect(recall.missing).toEqual([]);
    expect(recall.form).toMatchObject({
      tab: 'upscale',
      upscaler: 'upscale.creative',
      creativity: 0.2,
    });
    expect(recall.inputRole).toBe('image');
  });

  it('settings the recipe does not hold go back to their defaults; the seed option follows', () => {
    const recall = recallOf(source({ seed: 0, params: {} }));
    expect(recall.form).toMatchObject({
      cfgScale: INITIAL_FORM.cfgScale,
      stylePreset: '',
      outputFormat: INITIAL_FORM.outputFormat,
      aspectRatio: INITIAL_FORM.aspectRatio,
      seedMode: 'random',
    });
  });

  it('names what is missing, and takes nothing the table does not allow', () => {
    const recall = recallOf(
      source({
        operation: 'image-to-image',
        model: 'sd4-giant',
        params: {
          model: 'sd4-giant',
          cfg_scale: 99,
          strength: 'lots',
          style_preset: '<script>',
          aspect_ratio: '99:1',
          output_format: 'exe',
        },
        inputs: [],
      }),
    );
    expect(recall.form.model).toBe(INITIAL_FORM.model);
    expect(recall.form.cfgScale).toBeNull();
    expect(recall.form.strength).toBe(INITIAL_FORM.strength);
    expect(recall.form.stylePreset).toBe('');
    expect(recall.form.aspectRatio).toBe(INITIAL_FORM.aspectRatio);
    expect(recall.form.outputFormat).toBe(INITIAL_FORM.outputFormat);
    expect(recall.inputRole).toBeNull();
    expect(recallSentence(recall.missing)).toBe(
      'Everything else came back, but not the model sd4-giant, the style <script>, the CFG 99, the strength lots and the input picture.',
    );
  });

  it('a picture Create cannot make again (an import) brings back its prompt and says so', () => {
    const recall = recallOf(source({ operation: 'import', endpoint: null, model: null }));
    expect(recall.form).toMatchObject({ tab: 'generate', prompt: 'a lighthouse at dusk' });
    expect(recall.missing).toEqual(['the kind of picture (import)']);
  });

  it('nothing missing: no sentence', () => {
    expect(recallSentence([])).toBeNull();
    expect(endpointOfPath(null)).toBeNull();
    expect(endpointOfPath('/v2beta/stable-image/generate/sd3')).toBe('generate.sd3');
  });
});
