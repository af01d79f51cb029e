/**
 * The plain-text "parameters" form that AUTOMATIC1111's web UI (and Forge, SD.Next, InvokeAI's
 * importers, Civitai...) write and read:
 *
 *   a red fox in the snow
 *   Negative prompt: blurry
 *   Steps: 30, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 1024x1024, Model: sd3.5-large
 */
import type { JsonValue } from './format';

export interface ParsedParameters {
  prompt: string;
  negativePrompt: string;
  /** Every `Key: value` of the last line, verbatim (quotes removed). */
  settings: Record<string, string>;
  seed: number | null;
  steps: number | null;
  cfgScale: number | null;
  sampler: string | null;
  width: number | null;
  height: number | null;
  model: string | null;
}

export interface ParametersInput {
  prompt: string;
  negativePrompt?: string | null;
  seed?: number | null;
  width: number;
  height: number;
  model?: string | null;
  params: Record<string, JsonValue>;
  /** Extra `Key: value` pairs appended at the end (e.g. Operation, Version). */
  extra?: Record<string, string>;
}

function quote(value: string): string {
  return /[,:\n"]/.test(value) ? JSON.stringify(value) : value;
}

function str(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function formatParameters(input: ParametersInput): string {
  const p = input.params;
  const pairs: [string, string][] = [];
  const push = (key: string, value: string | null) => {
    if (value !== null && value !== '') pairs.push([key, value]);
  };
  push('Steps', str(p.steps));
  push('Sampler', str(p.sampler));
  push('CFG scale', str(p.cfg_scale));
  push('Seed', input.seed === null || input.seed === undefined ? null : String(input.seed));
  push('Size', `${input.width}x${input.height}`);
  push('Model', input.model ?? null);
  push('Denoising strength', str(p.strength));
  push('Style preset', str(p.style_preset));
  push('Aspect ratio', str(p.aspect_ratio));
  for (const [key, value] of Object.entries(input.extra ?? {})) push(key, value);
  const lines = [input.prompt.replace(/\r\n?/g, '\n')];
  const negative = input.negativePrompt?.trim();
  if (negative) lines.push(`Negative prompt: ${negative}`);
  lines.push(pairs.map(([k, v]) => `${k}: ${quote(v)}`).join(', '));
  return lines.join('\n');
}

// The same pattern A1111 uses to split the last line into pairs.
const PAIR = /\s*([\w][\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/g;

function parsePairs(line: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const match of line.matchAll(PAIR)) {
    const key = match[1]?.trim();
    let value = (match[2] ?? '').trim();
    if (!key) continue;
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        value = value.slice(1, -1);
      }
    }
    settings[key] = value;
  }
  return settings;
}

function num(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Reads the plain-text parameters form; null when the text is not in that form at all. */
export function parseParameters(text: string): ParsedParameters | null {
  const lines = text.replace(/\r\n?/g, '\n').trim().split('\n');
  if (lines.length === 0) return null;
  let settings: Record<string, string> = {};
  const last = lines[lines.length - 1] ?? '';
  const lastPairs = parsePairs(last);
  if (Object.keys(lastPairs).length >= 3) {
    settings = lastPairs;
    lines.pop();
  }
  const negIndex = lines.findIndex((l) => l.startsWith('Negative prompt:'));
  const promptLines = negIndex < 0 ? lines : lines.slice(0, negIndex);
  const negativeLines = negIndex < 0 ? [] : lines.slice(negIndex);
  if (negativeLines[0] !== undefined) {
    negativeLines[0] = negativeLines[0].slice('Negative prompt:'.length).trimStart();
  }
  if (Object.keys(settings).length === 0 && negIndex < 0) {
    // Not the parameters form; still treat a lone line of text as a prompt.
    if (text.trim() === '') return null;
  }
  const size = /^(\d+)\s*x\s*(\d+)$/.exec(settings.Size ?? '');
  return {
    prompt: promptLines.join('\n').trim(),
    negativePrompt: negativeLines.join('\n').trim(),
    settings,
    seed: num(settings.Seed),
    steps: num(settings.Steps),
    cfgScale: num(settings['CFG scale']),
    sampler: settings.Sampler ?? null,
    width: size ? Number(size[1]) : null,
    height: size ? Number(size[2]) : null,
    model: settings.Model ?? null,
  };
}
