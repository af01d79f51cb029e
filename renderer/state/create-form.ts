/**
 * The Create form, read from the endpoint table: which models there are, which settings each shows,
 * their ranges and defaults, what a run costs, and the request the form turns into. No React here:
 * the components render what these functions say, and the unit tests check them against the table.
 */
import type { CreateEndpoint, CreateKind, FormParams, InputView } from '../../shared/api';
import {
  ASPECT_RATIOS,
  ASPECT_RATIO_LABELS,
  ENDPOINTS,
  OUTPUT_FORMAT_LABELS,
  SD3_MODEL_LABELS,
  STYLE_PRESET_LABELS,
  activeParams,
  creditCost,
  defaultOf,
  findParam,
  seedOfImage,
  validateParams,
  type AspectRatio,
  type EndpointSpec,
  type FieldMessages,
  type ImageFormat,
  type ParamSpec,
  type ParamValues,
  type Sd3Model,
  type StylePreset,
} from '../../shared/endpoints';
import {
  INITIAL_GUIDE,
  guideModeInfo,
  guideParams,
  referenceProblems,
  type GuideSettings,
  type References,
} from './guide-form';

export type Tab = 'generate' | 'transform' | 'upscale' | 'guide';
export type UpscaleEndpoint = 'upscale.fast' | 'upscale.conservative' | 'upscale.creative';

/** A model on the picker: an endpoint, and the model parameter's value where it has one. */
export interface ModelChoice {
  id: string;
  endpoint: 'generate.core' | 'generate.sd3' | 'generate.ultra';
  model?: string;
  label: string;
  /** One line on what it is good for. */
  blurb: string;
}

const SD3_BLURBS: Readonly<Record<Sd3Model, string>> = {
  'sd3.5-large': 'The most detailed SD 3.5; follows long prompts well.',
  'sd3.5-large-turbo': 'SD 3.5 Large in a few steps: quick drafts.',
  'sd3.5-medium': 'Lighter SD 3.5, good value.',
  'sd3.5-flash': 'The fastest and cheapest SD 3.5.',
};

function sd3Models(): string[] {
  const values = findParam(ENDPOINTS['generate.sd3'], 'model')?.values ?? [];
  return [...values];
}

/** Every text-to-image model the table has, cheapest family first, Ultra last. */
export function modelChoices(): ModelChoice[] {
  const choices: ModelChoice[] = [
    {
      id: 'core',
      endpoint: 'generate.core',
      label: ENDPOINTS['generate.core'].label,
      blurb: 'Fast, affordable and sharp: a good first try.',
    },
  ];
  for (const model of sd3Models()) {
    choices.push({
      id: model,
      endpoint: 'generate.sd3',
      model,
      label: SD3_MODEL_LABELS[model as Sd3Model],
      blurb: SD3_BLURBS[model as Sd3Model],
    });
  }
  choices.push({
    id: 'ultra',
    endpoint: 'generate.ultra',
    label: ENDPOINTS['generate.ultra'].label,
    blurb: 'The highest quality, for final pictures.',
  });
  return choices;
}

/** Models that can start from an image (their endpoint has an image parameter). */
export function transformChoices(): ModelChoice[] {
  return modelChoices().filter((choice) => {
    const image = findParam(ENDPOINTS[choice.endpoint], 'image');
    return image !== undefined;
  });
}

export const UPSCALERS: readonly {
  endpoint: UpscaleEndpoint;
  label: string;
  blurb: string;
}[] = [
  {
    endpoint: 'upscale.fast',
    label: 'Fast',
    blurb: '4× bigger in about a second, changes nothing. For small web images.',
  },
  {
    endpoint: 'upscale.conservative',
    label: 'Conservative',
    blurb: 'Up to 4 megapixels while keeping every detail as it is. For finished work.',
  },
  {
    endpoint: 'upscale.creative',
    label: 'Creative',
    blurb: 'Up to 4K and reimagines fine detail. For small or rough images; takes a minute.',
  },
];

export interface FormState {
  tab: Tab;
  /** A ModelChoice id. */
  model: string;
  upscaler: UpscaleEndpoint;
  prompt: string;
  negativePrompt: string;
  aspectRatio: AspectRatio;
  /** '' for none. */
  stylePreset: StylePreset | '';
  seedMode: 'random' | 'fixed';
  seed: number;
  outputFormat: ImageFormat;
  /** null: the model's default. */
  cfgScale: number | null;
  strength: number;
  /** null: the upscaler's default. */
  creativity: number | null;
  count: number;
  /** The Guide tab's mode and sliders (guide-form.ts). */
  guide: GuideSettings;
}

export const INITIAL_FORM: FormState = {
  tab: 'generate',
  model: 'core',
  upscaler: 'upscale.conservative',
  prompt: '',
  negativePrompt: '',
  aspectRatio: '1:1',
  stylePreset: '',
  seedMode: 'random',
  seed: 0,
  outputFormat: 'png',
  cfgScale: null,
  strength: 0.6,
  creativity: null,
  count: 1,
  guide: INITIAL_GUIDE,
};

export function choiceOf(form: FormState): ModelChoice {
  const list = form.tab === 'transform' ? transformChoices() : modelChoices();
  const found = list.find((c) => c.id === form.model) ?? list[0];
  if (found) return found;
  throw new Error('The endpoint table has no text-to-image model.');
}

/** The endpoint and kind a form sends to. */
export function targetOf(form: FormState): { endpoint: CreateEndpoint; kind: CreateKind } {
  if (form.tab === 'upscale') return { endpoint: form.upscaler, kind: 'upscale' };
  if (form.tab === 'guide')
    return { endpoint: guideModeInfo(form.guide.mode).endpoint, kind: 'guide' };
  const choice = choiceOf(form);
  return {
    endpoint: choice.endpoint,
    kind: form.tab === 'transform' ? 'image-to-image' : 'text-to-image',
  };
}

export function specOf(form: FormState): EndpointSpec {
  return ENDPOINTS[targetOf(form).endpoint];
}

/** The values that decide which parameters apply (model, mode, an image being present). */
function selectors(form: FormState): Record<string, string | { kind: 'image' }> {
  const { endpoint } = targetOf(form);
  const out: Record<string, string | { kind: 'image' }> = {};
  const choice = choiceOf(form);
  if (endpoint === 'generate.sd3' && choice.model) out.model = choice.model;
  if (endpoint === 'generate.sd3') {
    out.mode = form.tab === 'transform' ? 'image-to-image' : 'text-to-image';
  }
  if (form.tab !== 'generate') out.image = { kind: 'image' };
  return out;
}

/** Names of the settings the form shows for this model and mode, straight from the table. */
export function visibleParams(form: FormState): string[] {
  const spec = specOf(form);
  return activeParams(spec, selectors(form))
    .map((p) => p.name)
    .filter((name) => name !== 'mode' && name !== 'model' && name !== 'image');
}

export function paramOf(form: FormState, name: string): ParamSpec | undefined {
  return findParam(specOf(form), name);
}

/** The default of a number parameter for this model (e.g. CFG 4 for Large, 1 for Turbo). */
export function numberDefault(form: FormState, name: string): number | undefined {
  const spec = specOf(form);
  const param = findParam(spec, name);
  if (!param) return undefined;
  const value = defaultOf(spec, param, selectors(form));
  return typeof value === 'number' ? value : undefined;
}

/** The parameters the form sends (only those the table lists for this model and mode). */
export function paramsOf(form: FormState): FormParams {
  const visible = new Set(visibleParams(form));
  const spec = specOf(form);
  const params: FormParams = {};
  const sel = selectors(form);
  if (typeof sel.model === 'string') params.model = sel.model;
  if (typeof sel.mode === 'string') params.mode = sel.mode;
  const put = (name: string, value: string | number | undefined) => {
    if (visible.has(name) && value !== undefined && value !== '') params[name] = value;
  };
  put('prompt', form.prompt.trim());
  put('negative_prompt', form.negativePrompt.trim());
  put('aspect_ratio', form.aspectRatio);
  put('style_preset', form.stylePreset);
  if (form.seedMode === 'fixed') put('seed', form.seed);
  put('output_format', form.outputFormat);
  if (form.cfgScale !== null) put('cfg_scale', form.cfgScale);
  put('strength', form.strength);
  if (form.creativity !== null) put('creativity', form.creativity);
  if (form.tab === 'guide') {
    for (const [name, value] of Object.entries(guideParams(form.guide))) put(name, value);
  }
  // Only keep what the endpoint has (a guard: the table is the truth).
  return Object.fromEntries(Object.entries(params).filter(([name]) => findParam(spec, name)));
}

/**
 * What a fixed seed does to a run of several images, for the form: each gets its own seed (seed,
 * seed + 1, …), never the same request twice. Undefined when there is nothing to say.
 */
export function seedRunText(form: FormState): string | undefined {
  if (form.seedMode !== 'fixed' || form.seed <= 0 || form.count <= 1) return undefined;
  const first = seedOfImage(form.seed, 0);
  const last = seedOfImage(form.seed, form.count - 1);
  return `The ${form.count} images use seeds ${first} to ${last}, one each.`;
}

/**
 * Field messages from the table's validator (prompt missing, out of range ...). The Guide tab's
 * pictures are its `references` (by image field), not the drop zone's `input`.
 */
export function problemsOf(
  form: FormState,
  input: InputView | null,
  references: References = {},
): FieldMessages {
  const values: Record<string, ParamValues[string]> = { ...paramsOf(form) };
  if (form.tab === 'guide') {
    // The pictures are judged by referenceProblems (by the table's limits, in sentences).
    const fields = new Set<string>(guideModeInfo(form.guide.mode).slots.map((s) => s.field));
    const problems: FieldMessages = {
      ...Object.fromEntries(
        Object.entries(validateParams(specOf(form), values)).filter(([name]) => !fields.has(name)),
      ),
      ...referenceProblems(form.guide.mode, references),
    };
    if (form.count < 1 || form.count > 10) problems.count = 'From 1 to 10 images.';
    return problems;
  }
  if (form.tab !== 'generate' && input) {
    values.image = {
      kind: 'image',
      width: input.width,
      height: input.height,
      bytes: input.bytes,
    };
  }
  const problems = validateParams(specOf(form), values);
  // A too-large image is scaled down by the core; only report what cannot be fixed.
  if (problems.image && input) delete problems.image;
  if (form.tab !== 'generate' && !input) problems.image = 'Drop a picture here first.';
  if (form.count < 1 || form.count > 10) problems.count = 'From 1 to 10 images.';
  return problems;
}

/** Credits one run costs: the table's price for this model, times how many images. */
export function costOf(form: FormState): number {
  const count = form.tab === 'upscale' ? 1 : form.count;
  return creditCost(specOf(form), paramsOf(form)) * count;
}

export function formatCredits(credits: number): string {
  const rounded = Math.round(credits * 10) / 10;
  return `${rounded.toLocaleString('en-US')} ${rounded === 1 ? 'credit' : 'credits'}`;
}

/** The words on the run button, e.g. "Make 4 images · 12 credits". */
export function runLabel(form: FormState): string {
  const cost = formatCredits(costOf(form));
  if (form.tab === 'upscale') return `Upscale · ${cost}`;
  const n = form.count;
  const what = n === 1 ? 'image' : `${n} images`;
  const verb = form.tab === 'transform' ? 'Transform' : 'Make';
  return `${verb} ${n === 1 ? `1 ${what}` : what} · ${cost}`;
}

/** A little rectangle for an aspect ratio, fitted in a box of `box` pixels. */
export function aspectShape(ratio: string, box = 22): { width: number; height: number } {
  const [w = 1, h = 1] = ratio.split(':').map(Number);
  const scale = box / Math.max(w, h);
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

export function aspectChoices(): { value: AspectRatio; label: string }[] {
  return ASPECT_RATIOS.map((value) => ({ value, label: ASPECT_RATIO_LABELS[value] }));
}

export function styleChoices(form: FormState): { value: StylePreset | ''; label: string }[] {
  const values = (paramOf(form, 'style_preset')?.values ?? []) as readonly StylePreset[];
  return [
    { value: '', label: 'No style' },
    ...values.map((value) => ({ value, label: STYLE_PRESET_LABELS[value] })),
  ];
}

export function formatChoices(form: FormState): { value: ImageFormat; label: string }[] {
  const values = (paramOf(form, 'output_format')?.values ?? []) as readonly ImageFormat[];
  return values.map((value) => ({ value, label: OUTPUT_FORMAT_LABELS[value] }));
}

/** The words under the strength slider. */
export function strengthWords(strength: number): string {
  if (strength <= 0.25) return 'Keeps almost all of your image';
  if (strength <= 0.5) return 'Keeps the shapes and colours of your image';
  if (strength <= 0.75) return 'Keeps the composition, follows the prompt';
  return 'Follows the prompt more than your image';
}

/** A short line saying what made a picture, e.g. "SD 3.5 Large · 16:9 · seed 42". */
export function recipeLine(endpoint: string, params: FormParams, seed?: number | null): string {
  const parts: string[] = [];
  if (endpoint === 'generate.sd3' && typeof params.model === 'string') {
    parts.push(SD3_MODEL_LABELS[params.model as Sd3Model] ?? params.model);
  } else {
    const spec = (ENDPOINTS as Record<string, EndpointSpec | undefined>)[endpoint];
    parts.push(spec?.label ?? endpoint);
  }
  if (typeof params.aspect_ratio === 'string') parts.push(params.aspect_ratio);
  if (typeof params.style_preset === 'string') {
    parts.push(STYLE_PRESET_LABELS[params.style_preset as StylePreset] ?? params.style_preset);
  }
  if (typeof params.strength === 'number') parts.push(`strength ${params.strength}`);
  if (typeof params.creativity === 'number') parts.push(`creativity ${params.creativity}`);
  if (typeof params.cfg_scale === 'number') parts.push(`CFG ${params.cfg_scale}`);
  if (seed !== undefined && seed !== null) parts.push(`seed ${seed}`);
  return parts.join(' · ');
}

/**
 * The prompt to put in the box for an upscale, from the picture's own (a picture of the library,
 * or one another Stable Diffusion tool made): only when the box is empty or still holds what was
 * put there for the previous picture, never over what the person typed. Null: leave the box alone.
 */
export function promptToPrefill(
  form: Pick<FormState, 'tab' | 'prompt'>,
  input: { prompt?: string | undefined } | null,
  lastPrefill: string | null,
): string | null {
  if (form.tab !== 'upscale' || !input?.prompt) return null;
  if (form.prompt === input.prompt) return null;
  const untouched = form.prompt.trim() === '' || form.prompt === lastPrefill;
  return untouched ? input.prompt : null;
}
