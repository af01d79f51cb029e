/**
 * Reading the endpoint table: which parameters apply, defaults, credit cost, output size, and the
 * validator that turns a parameter set into field messages. Used by the client (before sending), by
 * the Sandbox (on what arrives), and by the forms (next to each field).
 */
import type {
  EndpointSpec,
  FieldMessages,
  ImageInfo,
  ImageLimits,
  Mode,
  OutputRule,
  ParamSpec,
  ParamValue,
  ParamValues,
} from './types';
import { ASPECT_RATIOS, OUTPUT_SIZES, SEED_MAX, type AspectRatio } from './vocab';

export function isImageInfo(value: unknown): value is ImageInfo {
  return typeof value === 'object' && value !== null && (value as ImageInfo).kind === 'image';
}

/** A value counts as present unless undefined or an empty string. */
export function isPresent(value: ParamValue | undefined): boolean {
  return value !== undefined && value !== '';
}

export function findParam(spec: EndpointSpec, name: string): ParamSpec | undefined {
  return spec.params.find((p) => p.name === name);
}

/** The mode of a request: sd3 from its `mode` parameter, ultra from an image being present. */
export function modeOf(spec: EndpointSpec, values: ParamValues): Mode | undefined {
  const from = spec.modeFrom;
  if (!from) return undefined;
  if (from.kind === 'present') {
    return isPresent(values[from.param]) ? 'image-to-image' : 'text-to-image';
  }
  const value = values[from.param];
  if (value === 'image-to-image' || value === 'text-to-image') return value;
  const def = findParam(spec, from.param)?.default;
  return def === 'image-to-image' ? 'image-to-image' : 'text-to-image';
}

/** The model of a request (its value, else the parameter's default), when the endpoint has one. */
export function modelOf(spec: EndpointSpec, values: ParamValues): string | undefined {
  if (!spec.modelParam) return undefined;
  const value = values[spec.modelParam];
  if (typeof value === 'string' && value !== '') return value;
  const def = findParam(spec, spec.modelParam)?.default;
  return typeof def === 'string' ? def : undefined;
}

/** Whether a parameter applies to this request (its modes and models). */
export function paramApplies(spec: EndpointSpec, param: ParamSpec, values: ParamValues): boolean {
  const mode = modeOf(spec, values);
  if (param.modes && mode && !param.modes.includes(mode)) return false;
  const model = modelOf(spec, values);
  if (param.models && model && !param.models.includes(model)) return false;
  return true;
}

/** The parameters a form should show for these values. */
export function activeParams(spec: EndpointSpec, values: ParamValues): ParamSpec[] {
  return spec.params.filter((p) => paramApplies(spec, p, values));
}

export function isRequired(spec: EndpointSpec, param: ParamSpec, values: ParamValues): boolean {
  const rule = param.required;
  if (rule === undefined) return false;
  if (rule === true) return true;
  if ('modes' in rule) {
    const mode = modeOf(spec, values);
    return mode !== undefined && rule.modes.includes(mode);
  }
  return isPresent(values[rule.whenPresent]);
}

/** The default of a parameter for this request (model-dependent defaults resolved). */
export function defaultOf(
  spec: EndpointSpec,
  param: ParamSpec,
  values: ParamValues = {},
): number | string | boolean | undefined {
  const def = param.default;
  if (typeof def === 'object') {
    const model = modelOf(spec, values);
    return model === undefined ? undefined : def.byModel[model];
  }
  return def;
}

/** Credits a successful call costs. */
export function creditCost(spec: EndpointSpec, values: ParamValues = {}): number {
  const rule = spec.credits;
  if (typeof rule === 'number') return rule;
  const model = modelOf(spec, values);
  const cost = model === undefined ? undefined : rule.byModel[model];
  return cost ?? Math.max(...Object.values(rule.byModel));
}

/** The accept value used when the caller names none. */
export function defaultAccept(spec: EndpointSpec): string | undefined {
  return spec.accept[0];
}

// ---------------------------------------------------------------------------------------------
// Output size

export interface Size {
  readonly width: number;
  readonly height: number;
}

function roundTo(value: number, multiple: number): number {
  return Math.max(multiple, Math.round(value / multiple) * multiple);
}

/** The output rule for this request (resolving per-mode rules). */
export function outputRule(spec: EndpointSpec, values: ParamValues): OutputRule | undefined {
  const out = spec.output;
  if (!out) return undefined;
  if ('byMode' in out) return out.byMode[modeOf(spec, values) ?? 'text-to-image'];
  return out;
}

function numberValue(value: ParamValue | undefined, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return fallback;
}

/**
 * The size of the picture this request makes, per the table (UNSURE sizes included), or undefined
 * when an input image size is needed and not known.
 */
export function outputSize(spec: EndpointSpec, values: ParamValues): Size | undefined {
  const rule = outputRule(spec, values);
  if (!rule) return undefined;
  if (rule.kind === 'aspectTable') {
    const ratio = values.aspect_ratio;
    const key: AspectRatio = (ASPECT_RATIOS as readonly unknown[]).includes(ratio)
      ? (ratio as AspectRatio)
      : '1:1';
    const [width, height] = OUTPUT_SIZES[rule.table][key];
    return { width, height };
  }
  const input = values[rule.param];
  if (!isImageInfo(input) || !input.width || !input.height) return undefined;
  const { width: w, height: h } = input as { width: number; height: number };
  switch (rule.kind) {
    case 'input':
      return { width: w, height: h };
    case 'scale':
      return { width: w * rule.factor, height: h * rule.factor };
    case 'pixels': {
      const k = Math.max(1, Math.sqrt(rule.pixels / (w * h)));
      return { width: Math.round(w * k), height: Math.round(h * k) };
    }
    case 'inputAspect': {
      const k = Math.sqrt(rule.pixels / (w * h));
      return { width: roundTo(w * k, rule.multiple), height: roundTo(h * k, rule.multiple) };
    }
    case 'outpaint':
      return {
        width: w + numberValue(values.left, 0) + numberValue(values.right, 0),
        height: h + numberValue(values.up, 0) + numberValue(values.down, 0),
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : String(n));

/** A plain message when an image breaks the limits, else undefined. Unknown facts are not checked. */
export function checkImage(limits: ImageLimits, info: ImageInfo): string | undefined {
  if (info.format !== undefined && !(limits.formats as readonly string[]).includes(info.format)) {
    return `This file is not a ${limits.formats.join(', ')} image. Save it as PNG, JPEG or WebP and try again.`;
  }
  if (info.bytes !== undefined && info.bytes > limits.maxBytes) {
    return `The file is too big (${fmt(Math.ceil(info.bytes / 1024 / 1024))} MB); it must be at most ${fmt(limits.maxBytes / 1024 / 1024)} MB. Save it smaller or as JPEG.`;
  }
  const { width, height } = info;
  if (width === undefined || height === undefined) return undefined;
  const size = `${fmt(width)}×${fmt(height)} pixels`;
  if (limits.minSide !== undefined && Math.min(width, height) < limits.minSide) {
    return `The image is ${size}; each side must be at least ${fmt(limits.minSide)} pixels.`;
  }
  if (limits.maxSide !== undefined && Math.max(width, height) > limits.maxSide) {
    return `The image is ${size}; no side may be longer than ${fmt(limits.maxSide)} pixels.`;
  }
  const pixels = width * height;
  if (limits.minPixels !== undefined && pixels < limits.minPixels) {
    return `The image is ${size}, too small; it needs at least ${fmt(limits.minPixels)} pixels in all.`;
  }
  if (limits.maxPixels !== undefined && pixels > limits.maxPixels) {
    return `The image is ${size}, too large; it may have at most ${fmt(limits.maxPixels)} pixels in all. Make it smaller and try again.`;
  }
  const aspect = width / height;
  if (
    (limits.minAspect !== undefined && aspect < limits.minAspect - 1e-9) ||
    (limits.maxAspect !== undefined && aspect > limits.maxAspect + 1e-9)
  ) {
    return `The image is ${size}, too narrow or too wide; its sides may differ by at most 2.5 times. Crop it and try again.`;
  }
  return undefined;
}

function checkValue(param: ParamSpec, value: ParamValue): string | undefined {
  switch (param.kind) {
    case 'image':
      if (!isImageInfo(value)) return 'Must be an image file.';
      return param.image ? checkImage(param.image, value) : undefined;
    case 'string': {
      if (typeof value !== 'string') return 'Must be text.';
      if (param.min !== undefined && value.length < param.min) return 'Required.';
      if (param.max !== undefined && value.length > param.max) {
        return `Too long: at most ${fmt(param.max)} characters (this has ${fmt(value.length)}).`;
      }
      return undefined;
    }
    case 'enum': {
      const allowed = param.values ?? [];
      if (typeof value !== 'string' || !allowed.includes(value)) {
        return `Must be one of: ${allowed.join(', ')}.`;
      }
      return undefined;
    }
    case 'boolean':
      if (value === true || value === false || value === 'true' || value === 'false') {
        return undefined;
      }
      return 'Must be true or false.';
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      const whole = param.kind === 'integer';
      const range =
        param.min !== undefined && param.max !== undefined
          ? ` between ${fmt(param.min)} and ${fmt(param.max)}`
          : '';
      const what = whole ? 'a whole number' : 'a number';
      if (
        (typeof value === 'string' && value.trim() === '') ||
        !Number.isFinite(n) ||
        (whole && !Number.isInteger(n)) ||
        (param.min !== undefined && n < param.min) ||
        (param.max !== undefined && n > param.max)
      ) {
        return `Must be ${what}${range}.`;
      }
      return undefined;
    }
  }
}

export interface ValidateOptions {
  /** Field names accepted and ignored (e.g. the `none` part Python samples send to force multipart). */
  readonly ignore?: readonly string[];
}

/**
 * Checks a parameter set against the table. Returns field -> plain message; empty when fine.
 * Unknown parameters, and parameters that do not apply to the mode or model, are errors: a wrong
 * value never costs a request.
 */
export function validateParams(
  spec: EndpointSpec,
  values: ParamValues,
  options: ValidateOptions = {},
): FieldMessages {
  const fields: FieldMessages = {};
  const mode = modeOf(spec, values);
  const model = modelOf(spec, values);

  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || options.ignore?.includes(name)) continue;
    const param = findParam(spec, name);
    if (!param) {
      fields[name] = `Not a setting of ${spec.label}.`;
      continue;
    }
    if (!isPresent(value)) continue;
    if (param.modes && mode && !param.modes.includes(mode)) {
      fields[name] = `Does not apply to ${mode}.`;
      continue;
    }
    if (param.models && model && !param.models.includes(model)) {
      fields[name] = `Does not apply to the model ${model}.`;
      continue;
    }
    const problem = checkValue(param, value);
    if (problem) fields[name] = problem;
  }

  for (const param of spec.params) {
    if (fields[param.name]) continue;
    if (isRequired(spec, param, values) && !isPresent(values[param.name])) {
      fields[param.name] = param.kind === 'image' ? 'Choose an image.' : 'Required.';
    }
  }

  for (const rule of spec.rules ?? []) {
    if (fields[rule.field]) continue;
    if (rule.kind === 'atLeastOne') {
      if (!rule.params.some((p) => isPresent(values[p]))) fields[rule.field] = rule.message;
    } else if (rule.kind === 'anyNonZero') {
      if (!rule.params.some((p) => numberValue(values[p], 0) !== 0)) {
        fields[rule.field] = rule.message;
      }
    } else if (isPresent(values[rule.param]) && !rule.params.some((p) => isPresent(values[p]))) {
      fields[rule.field] = rule.message;
    }
  }

  if (spec.maxRequestBytes !== undefined) {
    let total = 0;
    for (const value of Object.values(values)) {
      if (isImageInfo(value)) total += value.bytes ?? 0;
      else if (typeof value === 'string') total += value.length;
    }
    if (total > spec.maxRequestBytes) {
      const biggest = Object.entries(values)
        .filter((e): e is [string, ImageInfo] => isImageInfo(e[1]))
        .sort((a, b) => (b[1].bytes ?? 0) - (a[1].bytes ?? 0))[0];
      const field = biggest?.[0] ?? '(request)';
      fields[field] ??=
        `Together the files are too big; a request may be at most ${fmt(spec.maxRequestBytes / 1024 / 1024)} MB. Use smaller or JPEG files.`;
    }
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Seeds of a run

/**
 * The seed of image `index` (0-based) of a run of several images made with one fixed seed: seed,
 * seed + 1, … (past SEED_MAX it goes on from 1), so a run never pays for identical pictures. 0 means
 * "random" and stays 0.
 */
export function seedOfImage(seed: number, index: number): number {
  if (seed <= 0) return 0;
  return ((seed - 1 + index) % SEED_MAX) + 1;
}
