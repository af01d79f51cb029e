/**
 * Full recall: what a library picture's recipe puts back into Create's form ("Reuse settings").
 * Pure: the recipe in, the form (every setting the recipe holds, the rest at its default), the
 * input picture to stage by its role, and a sentence for each thing that cannot come back.
 * Values are taken only where the endpoint table allows them, so a recipe from a newer version or
 * another tool cannot put something into the form that the form could not send.
 */
import type { LibraryItem } from '../../shared/api';
import {
  ASPECT_RATIOS,
  ENDPOINTS,
  STYLE_PRESETS,
  findParam,
  type AspectRatio,
  type EndpointSpec,
  type ImageFormat,
  type StylePreset,
} from '../../shared/endpoints';
import {
  INITIAL_FORM,
  UPSCALERS,
  modelChoices,
  transformChoices,
  type FormState,
  type Tab,
  type UpscaleEndpoint,
} from './create-form';

/** What recall reads of a picture: its library item (endpoint: the API path) and its recipe. */
export type RecallSource = Pick<
  LibraryItem,
  'operation' | 'endpoint' | 'model' | 'prompt' | 'negativePrompt' | 'seed'
> & {
  params: Record<string, unknown>;
  inputs: readonly { role: string }[];
};

export interface Recall {
  /** Every setting of the form the recipe decides (the person's number of images stays). */
  form: Omit<FormState, 'count'>;
  /** The recipe's input to stage (inputs.fromRecipe) for Transform or Upscale, by its role. */
  inputRole: string | null;
  /** What did not come back, each a phrase ("the model sd4-giant"), for recallSentence. */
  missing: string[];
}

const TABS: Readonly<Record<string, Tab>> = {
  'text-to-image': 'generate',
  'image-to-image': 'transform',
  upscale: 'upscale',
};

/** The endpoint table's key for an API path. */
export function endpointOfPath(path: string | null): string | null {
  if (!path) return null;
  const found = Object.entries(ENDPOINTS).find(([, spec]) => (spec as EndpointSpec).path === path);
  return found ? found[0] : null;
}

function numberIn(spec: EndpointSpec | undefined, name: string, value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || !spec) return null;
  const param = findParam(spec, name);
  if (!param) return null;
  if (param.min !== undefined && value < param.min) return null;
  if (param.max !== undefined && value > param.max) return null;
  return value;
}

/** A recipe's value as a sentence shows it (short; objects as JSON). */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function oneOf<T extends string>(values: readonly T[], value: unknown): T | null {
  return values.find((v) => v === value) ?? null;
}

export function recallOf(source: RecallSource): Recall {
  const missing: string[] = [];
  const params = source.params;
  const key = endpointOfPath(source.endpoint);
  const spec = key ? (ENDPOINTS as Record<string, EndpointSpec>)[key] : undefined;
  const tab = TABS[source.operation];
  const form: Omit<FormState, 'count'> = {
    ...INITIAL_FORM,
    tab: tab ?? 'generate',
    prompt: source.prompt,
    negativePrompt: source.negativePrompt,
  };
  if (!tab) missing.push(`the kind of picture (${source.operation.replace(/-/g, ' ')})`);

  if (form.tab === 'upscale') {
    const upscaler = UPSCALERS.find((u) => u.endpoint === key)?.endpoint;
    if (upscaler) form.upscaler = upscaler satisfies UpscaleEndpoint;
    else missing.push('the upscaler');
  } else if (tab) {
    const choices = form.tab === 'transform' ? transformChoices() : modelChoices();
    const wanted = typeof params.model === 'string' ? params.model : source.model;
    const choice = choices.find((c) =>
      c.endpoint === 'generate.sd3' ? c.endpoint === key && c.model === wanted : c.endpoint === key,
    );
    if (choice) form.model = choice.id;
    else missing.push(`the model${wanted ? ` ${wanted}` : ''}`);
  }

  const aspect = oneOf<AspectRatio>(ASPECT_RATIOS, params.aspect_ratio);
  if (aspect) form.aspectRatio = aspect;
  if (params.style_preset !== undefined) {
    const style = oneOf<StylePreset>(STYLE_PRESETS, params.style_preset);
    if (style) form.stylePreset = style;
    else missing.push(`the style ${shown(params.style_preset)}`);
  }
  const formats = (spec ? findParam(spec, 'output_format')?.values : undefined) ?? [];
  const format = oneOf(formats, params.output_format) as ImageFormat | null;
  if (format) form.outputFormat = format;

  const numbers: [name: string, field: 'cfgScale' | 'strength' | 'creativity', words: string][] = [
    ['cfg_scale', 'cfgScale', 'the CFG'],
    ['strength', 'strength', 'the strength'],
    ['creativity', 'creativity', 'the creativity'],
  ];
  for (const [name, field, words] of numbers) {
    if (params[name] === undefined) continue;
    const value = numberIn(spec, name, params[name]);
    if (value !== null) form[field] = value;
    else missing.push(`${words} ${shown(params[name])}`);
  }

  const seed = source.seed ?? (typeof params.seed === 'number' ? params.seed : null);
  if (seed !== null && Number.isInteger(seed) && seed > 0) {
    form.seedMode = 'fixed';
    form.seed = seed;
  }

  let inputRole: string | null = null;
  if (form.tab !== 'generate' && tab) {
    const role = source.inputs.find((i) => i.role === 'image' || i.role === 'init_image')?.role;
    if (role) inputRole = role;
    else missing.push('the input picture');
  }
  return { form, inputRole, missing };
}

/** One sentence naming what did not come back, or null when everything did. */
export function recallSentence(missing: readonly string[]): string | null {
  if (missing.length === 0) return null;
  const list =
    missing.length === 1
      ? missing[0]
      : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return `Everything else came back, but not ${list}.`;
}
