/**
 * Create's Guide mode, read from the endpoint table: the four ways a picture guides a new one
 * (sketch, structure, style guide, style transfer), which picture goes into which image field,
 * the sliders each endpoint has (ranges and defaults from the table), and what a reference's size
 * means for the endpoint (too small: a sentence; too large: scaled down by the core, and said so).
 * No React here; create-form.ts calls these for the 'guide' tab.
 */
import type { InputView } from '../../shared/api';
import {
  ENDPOINTS,
  findParam,
  type EndpointSpec,
  type FieldMessages,
  type ImageLimits,
} from '../../shared/endpoints';

export type GuideMode = 'sketch' | 'structure' | 'style' | 'transfer';
export type GuideEndpoint =
  'control.sketch' | 'control.structure' | 'control.style' | 'control.style-transfer';
/** The image fields the guide endpoints take. */
export type GuideField = 'image' | 'init_image' | 'style_image';

/** One picture a mode takes: its field on the wire and how the form names it. */
export interface ReferenceSlot {
  field: GuideField;
  /** The drop target's name, e.g. "Sketch", "Picture to change". */
  label: string;
  /** "your sketch": how sentences name the picture. */
  noun: string;
  /** One line under the target. */
  hint: string;
}

export interface GuideModeInfo {
  mode: GuideMode;
  endpoint: GuideEndpoint;
  label: string;
  blurb: string;
  slots: readonly ReferenceSlot[];
}

export const GUIDE_MODES: readonly GuideModeInfo[] = [
  {
    mode: 'sketch',
    endpoint: 'control.sketch',
    label: 'Sketch',
    blurb: 'Turns a drawing into a finished picture, following its lines.',
    slots: [
      {
        field: 'image',
        label: 'Sketch',
        noun: 'your sketch',
        hint: 'A drawing: pencil, ink or a rough doodle.',
      },
    ],
  },
  {
    mode: 'structure',
    endpoint: 'control.structure',
    label: 'Structure',
    blurb: 'Keeps the composition of a picture and changes everything else.',
    slots: [
      {
        field: 'image',
        label: 'Structure picture',
        noun: 'the structure picture',
        hint: 'A picture whose composition to keep.',
      },
    ],
  },
  {
    mode: 'style',
    endpoint: 'control.style',
    label: 'Style guide',
    blurb: 'Makes a new picture of your prompt in the style of a picture.',
    slots: [
      {
        field: 'image',
        label: 'Style picture',
        noun: 'the style picture',
        hint: 'A picture whose look to take.',
      },
    ],
  },
  {
    mode: 'transfer',
    endpoint: 'control.style-transfer',
    label: 'Style transfer',
    blurb: 'Carries the look of one picture onto another.',
    slots: [
      {
        field: 'init_image',
        label: 'Picture to change',
        noun: 'the picture to change',
        hint: 'Its content and layout stay.',
      },
      {
        field: 'style_image',
        label: 'Style to take',
        noun: 'the style picture',
        hint: 'Its colours and look are carried over.',
      },
    ],
  },
];

export function guideModeInfo(mode: GuideMode): GuideModeInfo {
  const info = GUIDE_MODES.find((m) => m.mode === mode) ?? GUIDE_MODES[0];
  if (!info) throw new Error('No guide modes.');
  return info;
}

/** The mode whose endpoint has this path (a recipe's `endpoint`), if any. */
export function guideModeOfPath(path: string | null | undefined): GuideMode | null {
  return GUIDE_MODES.find((m) => ENDPOINTS[m.endpoint].path === path)?.mode ?? null;
}

/** A guide slider: the table's parameter, and words for its two ends. */
export interface GuideSlider {
  param:
    'control_strength' | 'fidelity' | 'style_strength' | 'composition_fidelity' | 'change_strength';
  label: string;
  left: string;
  right: string;
}

const SLIDERS: readonly GuideSlider[] = [
  {
    param: 'control_strength',
    label: 'How closely to follow it',
    left: 'Loosely, invent more',
    right: 'Closely, keep every line',
  },
  {
    param: 'fidelity',
    label: 'Style fidelity',
    left: 'A hint of the style',
    right: 'The style exactly',
  },
  {
    param: 'style_strength',
    label: 'Style strength',
    left: 'A touch of style',
    right: 'All of the style',
  },
  {
    param: 'composition_fidelity',
    label: 'Keep the composition',
    left: 'Free to rearrange',
    right: 'Keep the layout',
  },
  {
    param: 'change_strength',
    label: 'How much to change',
    left: 'Change a little',
    right: 'Change a lot',
  },
];

export type GuideValues = Partial<Record<GuideSlider['param'], number>>;

export interface GuideSettings {
  mode: GuideMode;
  /** Slider values by parameter; absent: the table's default. */
  values: GuideValues;
}

export const INITIAL_GUIDE: GuideSettings = { mode: 'sketch', values: {} };

export function guideSpec(mode: GuideMode): EndpointSpec {
  return ENDPOINTS[guideModeInfo(mode).endpoint];
}

/** The sliders this mode's endpoint has, with the table's range and default. */
export function guideSliders(
  mode: GuideMode,
): (GuideSlider & { min: number; max: number; default: number })[] {
  const spec = guideSpec(mode);
  return SLIDERS.flatMap((slider) => {
    const param = findParam(spec, slider.param);
    if (!param) return [];
    const min = param.min ?? 0;
    const max = param.max ?? 1;
    const def = typeof param.default === 'number' ? param.default : (min + max) / 2;
    return [{ ...slider, min, max, default: def }];
  });
}

/** The value a slider shows and sends: the person's, kept within the table's range, or the default. */
export function guideValue(
  settings: GuideSettings,
  param: GuideSlider['param'],
): number | undefined {
  const slider = guideSliders(settings.mode).find((s) => s.param === param);
  if (!slider) return undefined;
  const value = settings.values[param] ?? slider.default;
  return Math.min(slider.max, Math.max(slider.min, value));
}

/** The slider parameters the form sends for this mode. */
export function guideParams(settings: GuideSettings): Record<string, number> {
  const out: Record<string, number> = {};
  for (const slider of guideSliders(settings.mode)) {
    const value = guideValue(settings, slider.param);
    if (value !== undefined) out[slider.param] = value;
  }
  return out;
}

/** The words under "How closely to follow it", as Transform's strength has. */
export function controlWords(value: number): string {
  if (value <= 0.25) return 'Takes only a hint of the shapes';
  if (value <= 0.5) return 'Follows the main shapes, invents the rest';
  if (value <= 0.8) return 'Follows the drawing closely';
  return 'Keeps every line where it is';
}

/** A staged reference, as the form needs it. */
export type Reference = Pick<InputView, 'id' | 'name' | 'width' | 'height' | 'bytes'>;
export type References = Partial<Record<GuideField, Reference>>;

const count = (n: number) => n.toLocaleString('en-US');
const megapixels = (n: number) => `${(n / 1_000_000).toFixed(1)} megapixels`;

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The largest size within the limits, keeping the shape (as the core's prepare does). */
function fitted(width: number, height: number, limits: ImageLimits) {
  let scale = 1;
  if (limits.maxSide) scale = Math.min(scale, limits.maxSide / Math.max(width, height));
  if (limits.maxPixels) scale = Math.min(scale, Math.sqrt(limits.maxPixels / (width * height)));
  return { width: Math.floor(width * scale), height: Math.floor(height * scale) };
}

/**
 * What a reference's size means for the endpoint, from the table's limits: `error` when the
 * endpoint cannot take it (too small, too stretched), `note` when Atelier scales it down first.
 */
export function checkReference(
  mode: GuideMode,
  slot: ReferenceSlot,
  ref: Reference,
): { error?: string; note?: string } {
  const spec = guideSpec(mode);
  const limits = findParam(spec, slot.field)?.image;
  if (!limits) return {};
  const { width: w, height: h } = ref;
  const who = capital(slot.noun);
  const small =
    (limits.minSide !== undefined && Math.min(w, h) < limits.minSide) ||
    (limits.minPixels !== undefined && w * h < limits.minPixels);
  if (small) {
    const needs = [
      limits.minSide !== undefined ? `${count(limits.minSide)} pixels on each side` : '',
      limits.minPixels !== undefined ? `${count(limits.minPixels)} pixels in all` : '',
    ].filter(Boolean);
    return {
      error: `${who} is ${w} × ${h} pixels, too small: ${spec.label} needs at least ${needs.join(' and ')}. Use a larger picture.`,
    };
  }
  const ratio = w / h;
  if (
    (limits.minAspect !== undefined && ratio < limits.minAspect * (1 - 1e-3)) ||
    (limits.maxAspect !== undefined && ratio > limits.maxAspect * (1 + 1e-3))
  ) {
    return {
      error: `${who} is ${w} × ${h}, too stretched a shape: ${spec.label} takes pictures at most ${String(limits.maxAspect ?? 2.5)} times wider than tall, or taller than wide. Crop it closer to a square.`,
    };
  }
  const big =
    (limits.maxSide !== undefined && Math.max(w, h) > limits.maxSide) ||
    (limits.maxPixels !== undefined && w * h > limits.maxPixels);
  if (big) {
    const to = fitted(w, h, limits);
    const limit =
      limits.maxPixels !== undefined
        ? megapixels(limits.maxPixels)
        : `${count(limits.maxSide ?? 0)} pixels a side`;
    return {
      note: `${who} is larger than the ${limit} ${spec.label} takes; Atelier sends it scaled down to about ${to.width} × ${to.height}.`,
    };
  }
  return {};
}

/** Field messages for the references of a mode: a missing picture, or one the endpoint cannot take. */
export function referenceProblems(mode: GuideMode, references: References): FieldMessages {
  const info = guideModeInfo(mode);
  const problems: FieldMessages = {};
  const missing = info.slots.filter((slot) => !references[slot.field]);
  if (info.slots.length > 1 && missing.length === 1 && missing[0]) {
    const slot = missing[0];
    problems[slot.field] =
      `${info.label} needs two pictures: add ${slot.noun} too (drop it here, paste it or choose a file).`;
  } else {
    for (const slot of missing) {
      problems[slot.field] = `Drop ${slot.noun} here first, paste it, or choose a file.`;
    }
  }
  for (const slot of info.slots) {
    const ref = references[slot.field];
    const error = ref ? checkReference(mode, slot, ref).error : undefined;
    if (error) problems[slot.field] = error;
  }
  return problems;
}

/** The staged ids jobs.add takes as `images`, by field (only the fields of this mode). */
export function referenceImages(mode: GuideMode, references: References): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slot of guideModeInfo(mode).slots) {
    const ref = references[slot.field];
    if (ref) out[slot.field] = ref.id;
  }
  return out;
}

/** Notes the table keeps on values it is not sure of for this mode (e.g. the price of Sketch). */
export function unsureNotes(mode: GuideMode): readonly string[] {
  return guideSpec(mode).unsure ?? [];
}
