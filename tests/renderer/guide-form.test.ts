/**
 * The Guide tab's form model, against the endpoint table: each mode's endpoint and image fields,
 * the sliders each endpoint has with the table's ranges and defaults, what is sent (clamped to the
 * range), a reference's size judged by the table's limits (too small: a sentence; too large: a
 * note that it is scaled down), style transfer with one picture, and Reuse settings' form.
 */
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, findParam } from '../../shared/endpoints';
import {
  INITIAL_FORM,
  paramsOf,
  problemsOf,
  runLabel,
  targetOf,
} from '../../renderer/state/create-form';
import {
  GUIDE_MODES,
  checkReference,
  guideModeInfo,
  guideModeOfPath,
  guideParams,
  guideSliders,
  referenceImages,
  referenceProblems,
  type GuideMode,
  type Reference,
} from '../../renderer/state/guide-form';
import { guideFormOf } from '../../renderer/state/guide-recall';

const ref = (id: string, width: number, height: number): Reference => ({
  id,
  name: `${id}.png`,
  width,
  height,
  bytes: 1000,
});

const guideForm = (mode: GuideMode, values = {}) => ({
  ...INITIAL_FORM,
  tab: 'guide' as const,
  prompt: 'a fox',
  guide: { mode, values },
});

describe('Guide form', () => {
  it('sends each mode to its endpoint, its pictures to the endpoint’s image fields', () => {
    for (const info of GUIDE_MODES) {
      const spec = ENDPOINTS[info.endpoint];
      expect(targetOf(guideForm(info.mode))).toEqual({ endpoint: info.endpoint, kind: 'guide' });
      const imageFields = spec.params.filter((p) => p.kind === 'image').map((p) => p.name);
      expect(info.slots.map((s) => s.field)).toEqual(imageFields);
    }
    const images = referenceImages('transfer', {
      init_image: ref('a', 300, 300),
      style_image: ref('b', 300, 300),
      image: ref('c', 300, 300),
    });
    expect(images).toEqual({ init_image: 'a', style_image: 'b' });
  });

  it('shows the sliders the table has, with its ranges and defaults, and sends them clamped', () => {
    expect(guideSliders('sketch').map((s) => s.param)).toEqual(['control_strength']);
    expect(guideSliders('style').map((s) => s.param)).toEqual(['fidelity']);
    const transfer = guideSliders('transfer');
    expect(transfer.map((s) => s.param)).toEqual([
      'style_strength',
      'composition_fidelity',
      'change_strength',
    ]);
    for (const slider of transfer) {
      const param = findParam(ENDPOINTS['control.style-transfer'], slider.param);
      expect([slider.min, slider.max, slider.default]).toEqual([
        param?.min,
        param?.max,
        param?.default,
      ]);
    }
    expect(guideParams({ mode: 'transfer', values: { change_strength: 0 } }).change_strength).toBe(
      0.1,
    );
    const sent = paramsOf(guideForm('sketch', { control_strength: 0.4 }));
    expect(sent).toMatchObject({ prompt: 'a fox', control_strength: 0.4 });
    expect(sent).not.toHaveProperty('fidelity');
    expect(paramsOf(guideForm('style'))).toMatchObject({ fidelity: 0.5, aspect_ratio: '1:1' });
    expect(runLabel(guideForm('transfer'))).toBe('Make 1 image · 8 credits');
  });

  it('judges a reference by the table’s limits', () => {
    const [slot] = guideModeInfo('sketch').slots;
    if (!slot) throw new Error('no slot');
    expect(checkReference('sketch', slot, ref('a', 40, 40)).error).toBe(
      'Your sketch is 40 × 40 pixels, too small: Sketch to image needs at least 64 pixels on each side and 4,096 pixels in all. Use a larger picture.',
    );
    expect(checkReference('sketch', slot, ref('a', 4000, 3000)).note).toBe(
      'Your sketch is larger than the 9.4 megapixels Sketch to image takes; Atelier sends it scaled down to about 3547 × 2660.',
    );
    expect(checkReference('sketch', slot, ref('a', 1000, 100)).error).toMatch(/too stretched/);
    expect(checkReference('sketch', slot, ref('a', 1024, 768))).toEqual({});
  });

  it('asks for the second picture of style transfer, and for a missing one elsewhere', () => {
    expect(referenceProblems('transfer', { init_image: ref('a', 300, 300) })).toEqual({
      style_image:
        'Style transfer needs two pictures: add the style picture too (drop it here, paste it or choose a file).',
    });
    expect(referenceProblems('structure', {})).toEqual({
      image: 'Drop the structure picture here first, paste it, or choose a file.',
    });
    // The form's problems: the picture's, not the table's "Choose an image."
    const problems = problemsOf(guideForm('style'), null, { image: ref('a', 30, 30) });
    expect(problems.image).toMatch(/too small/);
    expect(
      problemsOf({ ...guideForm('transfer'), prompt: '' }, null, {
        init_image: ref('a', 300, 300),
        style_image: ref('b', 300, 300),
      }),
    ).toEqual({});
  });

  it('Reuse settings: a guide recipe gives back its mode, sliders and settings', () => {
    expect(guideModeOfPath(ENDPOINTS['control.style'].path)).toBe('style');
    expect(guideModeOfPath('/v2beta/stable-image/generate/core')).toBeNull();
    const patch = guideFormOf(
      {
        endpoint: ENDPOINTS['control.style-transfer'].path,
        prompt: '',
        negativePrompt: 'blur',
        seed: 42,
      },
      { change_strength: 0.3, style_strength: 7, output_format: 'webp' },
    );
    expect(patch).toMatchObject({
      tab: 'guide',
      guide: { mode: 'transfer', values: { change_strength: 0.3 } },
      negativePrompt: 'blur',
      seedMode: 'fixed',
      seed: 42,
      outputFormat: 'webp',
    });
    // Out of the table's range: left at the default.
    expect(patch?.guide?.values).not.toHaveProperty('style_strength');
  });
});
