/**
 * THE endpoint table: every Stability endpoint Atelier uses, as data.
 * Source: /work/shared/stability-api.md (sections in brackets). The client, the Sandbox, the forms
 * and the tests read it; change a number here and all of them follow.
 */
import type { EndpointSpec, ImageLimits, ParamSpec } from './types';
import {
  ASPECT_RATIOS,
  MAX_REQUEST_BYTES,
  OUTPUT_FORMATS,
  PROMPT_MAX_LENGTH,
  SD3_MODELS,
  SEED_MAX,
  STYLE_PRESETS,
} from './vocab';

// ---------------------------------------------------------------------------------------------
// Input image limits [§4]

const FORMATS = ['png', 'jpeg', 'webp'] as const;

/** "side ≥ 64; px 4,096–9,437,184" (edit, control, conservative). */
const EDIT_IMAGE: ImageLimits = {
  formats: FORMATS,
  minSide: 64,
  minPixels: 4_096,
  maxPixels: 9_437_184,
  maxBytes: MAX_REQUEST_BYTES,
};
/** The same with "AR 1:2.5–2.5:1". */
const EDIT_IMAGE_AR: ImageLimits = { ...EDIT_IMAGE, minAspect: 1 / 2.5, maxAspect: 2.5 };

export const IMAGE_LIMITS = {
  ultra: {
    formats: FORMATS,
    minSide: 64,
    maxSide: 16_384,
    minPixels: 4_096,
    maxBytes: MAX_REQUEST_BYTES,
  },
  sd3: { formats: FORMATS, minSide: 64, maxBytes: MAX_REQUEST_BYTES },
  fast: {
    formats: FORMATS,
    minSide: 32,
    maxSide: 1_536,
    minPixels: 1_024,
    maxPixels: 1_048_576,
    maxBytes: MAX_REQUEST_BYTES,
  },
  conservative: EDIT_IMAGE_AR,
  creative: {
    formats: FORMATS,
    minSide: 64,
    minPixels: 4_096,
    maxPixels: 1_048_576,
    maxBytes: MAX_REQUEST_BYTES,
  },
  edit: EDIT_IMAGE,
  editAspect: EDIT_IMAGE_AR,
  removeBackground: { ...EDIT_IMAGE, maxPixels: 4_194_304 },
  styleTransfer: { ...EDIT_IMAGE, maxSide: 16_383 },
  styleTransferInit: { ...EDIT_IMAGE_AR, maxSide: 16_383 },
} as const satisfies Record<string, ImageLimits>;

// ---------------------------------------------------------------------------------------------
// Parameter builders (each returns plain data)

const prompt = (required = true): ParamSpec => ({
  name: 'prompt',
  kind: 'string',
  ...(required ? { required: true as const, min: 1 } : { min: 0 }),
  max: PROMPT_MAX_LENGTH,
  label: 'Prompt',
  help: 'What you want to see. (word:0.8) weights a word between 0 and 1.',
});
const text = (name: string, label: string, help?: string, required = false): ParamSpec => ({
  name,
  kind: 'string',
  ...(required ? { required: true as const, min: 1 } : {}),
  max: PROMPT_MAX_LENGTH,
  label,
  ...(help ? { help } : {}),
});
const negativePrompt = (): ParamSpec =>
  text('negative_prompt', 'Negative prompt', 'What you do not want to see.');
const seed = (): ParamSpec => ({
  name: 'seed',
  kind: 'integer',
  min: 0,
  max: SEED_MAX,
  default: 0,
  label: 'Seed',
  help: 'The same seed and settings give the same picture. 0 picks one at random.',
});
const outputFormat = (values: readonly string[] = OUTPUT_FORMATS): ParamSpec => ({
  name: 'output_format',
  kind: 'enum',
  values,
  default: 'png',
  label: 'File format',
});
const stylePreset = (): ParamSpec => ({
  name: 'style_preset',
  kind: 'enum',
  values: STYLE_PRESETS,
  label: 'Style',
  help: 'A look to steer the picture towards. Leave empty for none.',
});
const aspectRatio = (modes?: ParamSpec['modes']): ParamSpec => ({
  name: 'aspect_ratio',
  kind: 'enum',
  values: ASPECT_RATIOS,
  default: '1:1',
  ...(modes ? { modes } : {}),
  label: 'Aspect ratio',
});
const image = (
  name: string,
  label: string,
  limits: ImageLimits,
  required: ParamSpec['required'] | false = true,
  extra: Partial<ParamSpec> = {},
): ParamSpec => ({
  name,
  kind: 'image',
  ...(required === false ? {} : { required }),
  image: limits,
  label,
  ...extra,
});
const unit = (
  name: string,
  label: string,
  def: number | undefined,
  min = 0,
  max = 1,
  extra: Partial<ParamSpec> = {},
): ParamSpec => ({
  name,
  kind: 'number',
  min,
  max,
  ...(def === undefined ? {} : { default: def }),
  label,
  ...extra,
});
const growMask = (max: number, def: number): ParamSpec => ({
  name: 'grow_mask',
  kind: 'integer',
  min: 0,
  max,
  default: def,
  label: 'Grow mask',
  help: 'Grows the edges of the mask outwards, in pixels, to smooth the transition.',
});
const direction = (name: string, label: string): ParamSpec => ({
  name,
  kind: 'integer',
  min: 0,
  max: 2000,
  default: 0,
  label,
  help: 'Pixels to add on this side.',
});
const controlStrength = (): ParamSpec =>
  unit('control_strength', 'Control strength', 0.7, 0, 1, {
    help: 'How closely the picture follows your image.',
  });

// ---------------------------------------------------------------------------------------------
// The table

/** What every synchronous image endpoint shares: it answers the picture, or JSON with base64. */
const SYNC_IMAGE = {
  accept: ['image/*', 'application/json'],
  async: false,
  maxRequestBytes: MAX_REQUEST_BYTES,
} as const;

export const ENDPOINTS = {
  // --- generate [§4.1] ---
  'generate.ultra': {
    id: 'generate.ultra',
    family: 'generate',
    label: 'Stable Image Ultra',
    method: 'POST',
    path: '/v2beta/stable-image/generate/ultra',
    modeFrom: { kind: 'present', param: 'image' },
    params: [
      prompt(),
      negativePrompt(),
      aspectRatio(),
      seed(),
      outputFormat(),
      stylePreset(),
      image('image', 'Starting image', IMAGE_LIMITS.ultra, false),
      unit('strength', 'Strength', undefined, 0, 1, {
        required: { whenPresent: 'image' },
        modes: ['image-to-image'],
        help: '0 keeps your image as it is, 1 ignores it.',
      }),
    ],
    ...SYNC_IMAGE,
    output: {
      byMode: {
        'text-to-image': { kind: 'aspectTable', table: 'oneMegapixel' },
        'image-to-image': { kind: 'inputAspect', param: 'image', pixels: 1_048_576, multiple: 64 },
      },
    },
    credits: 8,
    unsure: ['Output sizes per aspect ratio (1 MP bucket table).', 'Image-to-image output size.'],
  },
  'generate.core': {
    id: 'generate.core',
    family: 'generate',
    label: 'Stable Image Core',
    method: 'POST',
    path: '/v2beta/stable-image/generate/core',
    params: [prompt(), aspectRatio(), negativePrompt(), seed(), stylePreset(), outputFormat()],
    ...SYNC_IMAGE,
    output: { kind: 'aspectTable', table: 'core' },
    credits: 3,
    unsure: ['Output sizes other than 1:1 (1.5x the 1 MP buckets).'],
  },
  'generate.sd3': {
    id: 'generate.sd3',
    family: 'generate',
    label: 'Stable Diffusion 3.5',
    method: 'POST',
    path: '/v2beta/stable-image/generate/sd3',
    modeFrom: { kind: 'param', param: 'mode' },
    modelParam: 'model',
    params: [
      prompt(),
      {
        name: 'mode',
        kind: 'enum',
        values: ['text-to-image', 'image-to-image'],
        default: 'text-to-image',
        label: 'Mode',
      },
      image(
        'image',
        'Starting image',
        IMAGE_LIMITS.sd3,
        { modes: ['image-to-image'] },
        {
          modes: ['image-to-image'],
        },
      ),
      unit('strength', 'Strength', undefined, 0, 1, {
        required: { modes: ['image-to-image'] },
        modes: ['image-to-image'],
        help: '0 keeps your image as it is, 1 ignores it. For Flash, 0.94 to 0.97 works best.',
      }),
      aspectRatio(['text-to-image']),
      {
        name: 'model',
        kind: 'enum',
        values: SD3_MODELS,
        default: 'sd3.5-large',
        label: 'Model',
        unsure:
          'sd3.5-flash is priced and described but missing from the enum; treated as accepted.',
      },
      seed(),
      outputFormat(),
      stylePreset(),
      negativePrompt(),
      {
        name: 'cfg_scale',
        kind: 'number',
        min: 1,
        max: 10,
        default: {
          byModel: {
            'sd3.5-large': 4,
            'sd3.5-medium': 4,
            'sd3.5-large-turbo': 1,
            'sd3.5-flash': 1,
          },
        },
        label: 'Prompt strictness (CFG)',
        help: 'Higher follows the prompt more literally.',
      },
    ],
    ...SYNC_IMAGE,
    output: {
      byMode: {
        'text-to-image': { kind: 'aspectTable', table: 'oneMegapixel' },
        'image-to-image': { kind: 'inputAspect', param: 'image', pixels: 1_048_576, multiple: 64 },
      },
    },
    credits: {
      byModel: {
        'sd3.5-large': 6.5,
        'sd3.5-large-turbo': 4,
        'sd3.5-medium': 3.5,
        'sd3.5-flash': 2.5,
      },
    },
    unsure: ['Output sizes per aspect ratio.', 'sd3.5-flash in the model enum.'],
  },

  // --- upscale [§4.2] ---
  'upscale.fast': {
    id: 'upscale.fast',
    family: 'upscale',
    label: 'Fast upscale',
    method: 'POST',
    path: '/v2beta/stable-image/upscale/fast',
    params: [image('image', 'Image', IMAGE_LIMITS.fast), outputFormat()],
    ...SYNC_IMAGE,
    output: { kind: 'scale', param: 'image', factor: 4 },
    credits: 2,
  },
  'upscale.conservative': {
    id: 'upscale.conservative',
    family: 'upscale',
    label: 'Conservative upscale',
    method: 'POST',
    path: '/v2beta/stable-image/upscale/conservative',
    params: [
      image('image', 'Image', IMAGE_LIMITS.conservative),
      prompt(),
      negativePrompt(),
      seed(),
      outputFormat(),
      unit('creativity', 'Creativity', 0.35, 0.2, 0.5),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'pixels', param: 'image', pixels: 4_194_304 },
    credits: 40,
    unsure: ['"4 megapixels" output: the exact size is not documented.'],
  },
  'upscale.creative': {
    id: 'upscale.creative',
    family: 'upscale',
    label: 'Creative upscale',
    method: 'POST',
    path: '/v2beta/stable-image/upscale/creative',
    params: [
      image('image', 'Image', IMAGE_LIMITS.creative),
      prompt(),
      negativePrompt(),
      seed(),
      outputFormat(),
      unit('creativity', 'Creativity', 0.3, 0.1, 0.5),
      stylePreset(),
    ],
    accept: [],
    async: true,
    pollWith: 'results',
    output: { kind: 'pixels', param: 'image', pixels: 4_194_304 },
    credits: 60,
    maxRequestBytes: MAX_REQUEST_BYTES,
    unsure: ['"up to 4K" output: the Sandbox uses about 4 MP.'],
  },
  results: {
    id: 'results',
    family: 'results',
    label: 'Result of a job',
    method: 'GET',
    path: '/v2beta/results/{id}',
    params: [],
    accept: ['*/*', 'application/json'],
    async: false,
    credits: 0,
  },
  'upscale.creative.result': {
    id: 'upscale.creative.result',
    family: 'results',
    label: 'Result of a creative upscale (older path)',
    method: 'GET',
    path: '/v2beta/stable-image/upscale/creative/result/{id}',
    params: [],
    accept: ['image/*', 'application/json'],
    async: false,
    credits: 0,
  },

  // --- edit [§4.3] ---
  'edit.erase': {
    id: 'edit.erase',
    family: 'edit',
    label: 'Erase',
    method: 'POST',
    path: '/v2beta/stable-image/edit/erase',
    params: [
      image('image', 'Image', IMAGE_LIMITS.edit),
      image('mask', 'Mask', IMAGE_LIMITS.edit, false, {
        help: 'White erases, black keeps. Without a mask the transparent parts are erased.',
      }),
      growMask(20, 5),
      seed(),
      outputFormat(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
    unsure: ['Output size: "4 megapixels" in the text; the input size is assumed.'],
  },
  'edit.inpaint': {
    id: 'edit.inpaint',
    family: 'edit',
    label: 'Inpaint',
    method: 'POST',
    path: '/v2beta/stable-image/edit/inpaint',
    params: [
      image('image', 'Image', IMAGE_LIMITS.edit),
      prompt(),
      negativePrompt(),
      image('mask', 'Mask', IMAGE_LIMITS.edit, false, {
        help: 'White repaints, black keeps. Without a mask the transparent parts are repainted.',
      }),
      growMask(100, 5),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
    unsure: ['Output size: "4 megapixels" in the text; the input size is assumed.'],
  },
  'edit.outpaint': {
    id: 'edit.outpaint',
    family: 'edit',
    label: 'Outpaint',
    method: 'POST',
    path: '/v2beta/stable-image/edit/outpaint',
    params: [
      image('image', 'Image', IMAGE_LIMITS.editAspect),
      direction('left', 'Left'),
      direction('right', 'Right'),
      direction('up', 'Up'),
      direction('down', 'Down'),
      unit('creativity', 'Creativity', 0.5),
      prompt(false),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    rules: [
      {
        kind: 'anyNonZero',
        params: ['left', 'right', 'up', 'down'],
        field: 'left',
        message: 'Extend the picture on at least one side (left, right, up or down).',
      },
    ],
    ...SYNC_IMAGE,
    output: { kind: 'outpaint', param: 'image' },
    credits: 4,
  },
  'edit.search-and-replace': {
    id: 'edit.search-and-replace',
    family: 'edit',
    label: 'Search and replace',
    method: 'POST',
    path: '/v2beta/stable-image/edit/search-and-replace',
    params: [
      image('image', 'Image', IMAGE_LIMITS.editAspect),
      prompt(),
      text('search_prompt', 'Find', 'What to replace, in a few words.', true),
      negativePrompt(),
      growMask(20, 3),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
  },
  'edit.search-and-recolor': {
    id: 'edit.search-and-recolor',
    family: 'edit',
    label: 'Search and recolor',
    method: 'POST',
    path: '/v2beta/stable-image/edit/search-and-recolor',
    params: [
      image('image', 'Image', IMAGE_LIMITS.editAspect),
      prompt(),
      text('select_prompt', 'Find', 'What to recolor, in a few words.', true),
      negativePrompt(),
      growMask(20, 3),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
    unsure: ['Credits (5) from an older page; likely.'],
  },
  'edit.remove-background': {
    id: 'edit.remove-background',
    family: 'edit',
    label: 'Remove background',
    method: 'POST',
    path: '/v2beta/stable-image/edit/remove-background',
    params: [image('image', 'Image', IMAGE_LIMITS.removeBackground), outputFormat(['png', 'webp'])],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
  },
  'edit.replace-background-and-relight': {
    id: 'edit.replace-background-and-relight',
    family: 'edit',
    label: 'Replace background and relight',
    method: 'POST',
    path: '/v2beta/stable-image/edit/replace-background-and-relight',
    params: [
      image('subject_image', 'Subject', IMAGE_LIMITS.editAspect),
      image('background_reference', 'Background image', IMAGE_LIMITS.edit, false),
      text('background_prompt', 'Background', 'The new background, in words.'),
      text('foreground_prompt', 'Subject description'),
      negativePrompt(),
      unit('preserve_original_subject', 'Keep the subject', 0.6),
      unit('original_background_depth', 'Background depth', 0.5),
      {
        name: 'keep_original_background',
        kind: 'boolean',
        default: false,
        label: 'Keep the original background',
      },
      {
        name: 'light_source_direction',
        kind: 'enum',
        values: ['left', 'right', 'above', 'below'],
        label: 'Light from',
      },
      image('light_reference', 'Light reference', IMAGE_LIMITS.edit, false),
      unit('light_source_strength', 'Light strength', 0.3),
      seed(),
      outputFormat(),
    ],
    rules: [
      {
        kind: 'atLeastOne',
        params: ['background_reference', 'background_prompt'],
        field: 'background_prompt',
        message: 'Describe the new background or give a background image.',
      },
      {
        kind: 'needsOneOf',
        param: 'light_source_strength',
        params: ['light_reference', 'light_source_direction'],
        field: 'light_source_strength',
        message: 'Light strength needs a light direction or a light reference image.',
      },
    ],
    accept: [],
    async: true,
    pollWith: 'results',
    output: { kind: 'input', param: 'subject_image' },
    credits: 8,
    maxRequestBytes: MAX_REQUEST_BYTES,
    unsure: ['Output size: the subject size is assumed.'],
  },

  // --- control [§4.4] ---
  'control.sketch': {
    id: 'control.sketch',
    family: 'control',
    label: 'Sketch to image',
    method: 'POST',
    path: '/v2beta/stable-image/control/sketch',
    params: [
      image('image', 'Sketch', IMAGE_LIMITS.editAspect),
      prompt(),
      controlStrength(),
      negativePrompt(),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
    unsure: ['Credits (3 to 5; 5 assumed), input limits and output size copied from structure.'],
  },
  'control.structure': {
    id: 'control.structure',
    family: 'control',
    label: 'Structure',
    method: 'POST',
    path: '/v2beta/stable-image/control/structure',
    params: [
      image('image', 'Structure image', IMAGE_LIMITS.editAspect),
      prompt(),
      controlStrength(),
      negativePrompt(),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'input', param: 'image' },
    credits: 5,
  },
  'control.style': {
    id: 'control.style',
    family: 'control',
    label: 'Style guide',
    method: 'POST',
    path: '/v2beta/stable-image/control/style',
    params: [
      image('image', 'Style image', IMAGE_LIMITS.editAspect),
      prompt(),
      negativePrompt(),
      aspectRatio(),
      unit('fidelity', 'Fidelity', 0.5, 0, 1, { help: 'How closely to follow the style image.' }),
      seed(),
      outputFormat(),
      stylePreset(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'aspectTable', table: 'oneMegapixel' },
    credits: 5,
  },
  'control.style-transfer': {
    id: 'control.style-transfer',
    family: 'control',
    label: 'Style transfer',
    method: 'POST',
    path: '/v2beta/stable-image/control/style-transfer',
    params: [
      image('init_image', 'Your image', IMAGE_LIMITS.styleTransferInit),
      image('style_image', 'Style image', IMAGE_LIMITS.styleTransfer),
      prompt(false),
      negativePrompt(),
      seed(),
      unit('style_strength', 'Style strength', 1),
      unit('composition_fidelity', 'Keep the composition', 0.9),
      unit('change_strength', 'Change strength', 0.9, 0.1, 1),
      outputFormat(),
    ],
    ...SYNC_IMAGE,
    output: { kind: 'inputAspect', param: 'init_image', pixels: 1_048_576, multiple: 64 },
    credits: 8,
  },

  // --- account [§5] ---
  'account.balance': {
    id: 'account.balance',
    family: 'account',
    label: 'Credit balance',
    method: 'GET',
    path: '/v1/user/balance',
    params: [],
    accept: ['application/json'],
    async: false,
    credits: 0,
  },
} as const satisfies Record<string, EndpointSpec>;

export type EndpointId = keyof typeof ENDPOINTS;

export const ENDPOINT_IDS = Object.keys(ENDPOINTS) as EndpointId[];

/** The spec of an endpoint, typed as the general shape. */
export function endpoint(id: EndpointId): EndpointSpec {
  return ENDPOINTS[id];
}

/** The endpoint answering METHOD PATH (results paths match any id), or undefined. */
export function findEndpoint(
  method: string,
  path: string,
): { spec: EndpointSpec; id?: string } | undefined {
  for (const spec of Object.values(ENDPOINTS) as EndpointSpec[]) {
    if (spec.method !== method.toUpperCase()) continue;
    if (spec.path.includes('{id}')) {
      const prefix = spec.path.slice(0, spec.path.indexOf('{id}'));
      if (path.startsWith(prefix) && path.length > prefix.length) {
        const rest = path.slice(prefix.length);
        if (!rest.includes('/')) {
          try {
            return { spec, id: decodeURIComponent(rest) };
          } catch {
            return undefined;
          }
        }
      }
    } else if (spec.path === path) {
      return { spec };
    }
  }
  return undefined;
}
