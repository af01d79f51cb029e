/**
 * Other tools' recipes: ComfyUI's graphs and InvokeAI's metadata, read from their PNG chunks, at
 * import and at scan, and hostile ones (huge, deep, cyclic, wrongly typed) read within bounds.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  embedRecipe,
  embeddedPrompt,
  importImage,
  readEmbedded,
  scanAndRepair,
} from '../../../electron/core/library';
import { readComfyUi, readInvokeAi, RECIPE_LIMITS } from '../../../electron/core/library/recipes';
import { makeImage, tempDir } from './helpers';
import {
  COMFY_MODEL,
  COMFY_NEGATIVE,
  COMFY_POSITIVE,
  INVOKE_METADATA,
  comfyApiGraph,
  comfyEditorGraph,
  comfyPng,
  withChunks,
} from './other-tools';

const api = (graph: unknown) => readComfyUi(JSON.stringify(graph), null);

describe('ComfyUI', () => {
  it('follows the sampler of the API graph to its prompts, model and settings', () => {
    expect(api(comfyApiGraph())).toEqual({
      tool: 'comfyui',
      prompt: COMFY_POSITIVE,
      negativePrompt: COMFY_NEGATIVE,
      model: COMFY_MODEL,
      seed: 156680208700286,
      steps: 20,
      cfgScale: 8,
      sampler: 'euler',
    });
  });

  it('reads the editor graph when there is no API graph', () => {
    expect(readComfyUi(null, JSON.stringify(comfyEditorGraph()))).toMatchObject({
      prompt: COMFY_POSITIVE,
      negativePrompt: COMFY_NEGATIVE,
      model: COMFY_MODEL,
      seed: 156680208700286,
      steps: 20,
      cfgScale: 8,
    });
  });

  it('goes through conditioning nodes, LoRA loaders and a text linked from another node', () => {
    const graph = comfyApiGraph();
    Object.assign(graph, {
      '3': {
        class_type: 'KSampler',
        inputs: { seed: 1, model: ['11', 0], positive: ['10', 0], negative: ['7', 0] },
      },
      '10': {
        class_type: 'ControlNetApply',
        inputs: { conditioning: ['6', 0], strength: 1, image: ['5', 0] },
      },
      '6': { class_type: 'CLIPTextEncode', inputs: { text: ['12', 0], clip: ['4', 1] } },
      '12': { class_type: 'PrimitiveString', inputs: { value: 'a fox from a string node' } },
      '11': {
        class_type: 'LoraLoader',
        inputs: { model: ['4', 0], clip: ['4', 1], lora_name: 'ink.safetensors' },
      },
      '4': {
        class_type: 'CheckpointLoaderSimple',
        inputs: { ckpt_name: 'C:\\Users\\ann\\models\\SDXL\\juggernaut.safetensors' },
      },
    });
    const read = api(graph);
    expect(read?.prompt).toBe('a fox from a string node');
    // A loader's path is not kept: only the model file's name.
    expect(read?.model).toBe('juggernaut.safetensors');
  });

  it('reads a custom sampler whose prompt comes through a guider', () => {
    const read = api({
      '1': { class_type: 'SamplerCustomAdvanced', inputs: { guider: ['2', 0], noise: ['9', 0] } },
      '2': { class_type: 'CFGGuider', inputs: { model: ['3', 0], positive: ['4', 0], cfg: 3.5 } },
      '3': { class_type: 'UNETLoader', inputs: { unet_name: 'flux1-dev.safetensors' } },
      '4': { class_type: 'CLIPTextEncode', inputs: { text: 'a neon koi', clip: ['5', 1] } },
    });
    expect(read).toMatchObject({ prompt: 'a neon koi', model: 'flux1-dev.safetensors' });
  });

  it('cuts cycles and long chains, and takes no graph larger than its limits', () => {
    const cycle = api({
      '1': { class_type: 'KSampler', inputs: { positive: ['2', 0], seed: 5 } },
      '2': { class_type: 'ConditioningCombine', inputs: { conditioning_1: ['3', 0] } },
      '3': { class_type: 'ConditioningCombine', inputs: { conditioning_1: ['2', 0] } },
    });
    expect(cycle).toMatchObject({ prompt: null, seed: 5 });

    // A chain far longer than the walk goes: it stops (no stack overflow), having found nothing.
    const chain: Record<string, unknown> = {
      '0': { class_type: 'KSampler', inputs: { positive: ['1', 0], seed: 1 } },
    };
    for (let i = 1; i < 20_000; i++) {
      chain[String(i)] = {
        class_type: 'ConditioningConcat',
        inputs: { conditioning_to: [String(i + 1), 0] },
      };
    }
    chain['20000'] = { class_type: 'CLIPTextEncode', inputs: { text: 'too far to find' } };
    const started = performance.now();
    expect(api(chain)?.prompt ?? null).toBeNull();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(RECIPE_LIMITS.steps).toBeLessThan(1000);
  });

  it('reads nothing from JSON nested deeper than the limit, or of the wrong shape', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(readComfyUi(deep, deep)).toBeNull();
    expect(readComfyUi('{"3": ', 'not json')).toBeNull();
    expect(readComfyUi('[1,2,3]', '{"nodes": 5}')).toBeNull();
    // Every value of the wrong type: read past, never thrown on.
    const wrong = api({
      '1': { class_type: 7, inputs: { positive: ['2', 0] } },
      '2': { class_type: 'KSampler', inputs: [1, 2] },
      '3': { class_type: 'KSampler', inputs: { positive: [{}, 0], seed: 'x', steps: null } },
      '4': { class_type: 'CLIPTextEncode', inputs: { text: { evil: true } } },
      '5': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: ['6', 0] } },
      '6': null,
    });
    expect(wrong).toBeNull();
    const editor = readComfyUi(
      null,
      JSON.stringify({
        nodes: [
          { id: 1, type: 'KSampler', inputs: [{ name: 'positive', link: 9 }], widgets_values: 'x' },
          { id: {}, type: 'CLIPTextEncode' },
          'node',
        ],
        links: [[9, 'not a node'], 'link', [9]],
      }),
    );
    expect(editor).toBeNull();
  });
});

describe('InvokeAI', () => {
  it('reads its metadata: prompts, model name, seed, steps, CFG', () => {
    expect(readInvokeAi(JSON.stringify(INVOKE_METADATA))).toEqual({
      tool: 'invokeai',
      prompt: INVOKE_METADATA.positive_prompt,
      negativePrompt: 'people',
      model: 'Juggernaut XL v9',
      seed: 1234567,
      steps: 30,
      cfgScale: 6.5,
      sampler: 'dpmpp_2m',
    });
    // Older versions name the model with a string.
    expect(readInvokeAi(JSON.stringify({ positive_prompt: 'x', model: 'sd-1.5' }))?.model).toBe(
      'sd-1.5',
    );
  });

  it('reads nothing of the wrong type', () => {
    expect(readInvokeAi('[]')).toBeNull();
    expect(readInvokeAi('{"positive_prompt": 5, "model": {"name": []}, "seed": "1"}')).toBeNull();
    expect(readInvokeAi(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`)).toBeNull();
  });
});

describe('other tools’ pictures in the library', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('atelier-recipes-'));
  });
  afterEach(() => cleanup());

  it('imports a ComfyUI PNG with its prompt and model', async () => {
    const bytes = comfyPng(await makeImage('png'));
    const meta = readEmbedded(bytes);
    expect(meta.foreign?.tool).toBe('comfyui');
    expect(embeddedPrompt(meta)).toBe(COMFY_POSITIVE);
    const { entry } = await importImage(dir, { bytes, name: 'ComfyUI_00001_.png' });
    expect(entry).toMatchObject({
      operation: 'import',
      prompt: COMFY_POSITIVE,
      negativePrompt: COMFY_NEGATIVE,
      model: COMFY_MODEL,
      seed: 156680208700286,
    });
    const sidecar = JSON.parse(await readFile(path.join(dir, entry.sidecarPath), 'utf8')) as {
      source: unknown;
      params: unknown;
    };
    expect(sidecar.source).toEqual({
      kind: 'comfyui',
      name: 'ComfyUI_00001_.png',
      parameters: null,
      operation: null,
    });
    expect(sidecar.params).toEqual({
      prompt: COMFY_POSITIVE,
      negative_prompt: COMFY_NEGATIVE,
      steps: 20,
      cfg_scale: 8,
      sampler: 'euler',
    });
    // The picture is stored as it came, graph and all.
    expect(Buffer.compare(await readFile(path.join(dir, entry.path)), bytes)).toBe(0);
    // Its sidecar is one the library reads back (the next scan, the detail's recipe).
    const { entries, report } = await scanAndRepair(dir);
    expect(report.unreadableSidecars).toEqual([]);
    expect(entries.map((e) => e.prompt)).toEqual([COMFY_POSITIVE]);
  });

  it('adopts an InvokeAI PNG found in the folder with its recipe', async () => {
    const bytes = withChunks(await makeImage('png'), {
      invokeai_metadata: JSON.stringify(INVOKE_METADATA),
    });
    await writeFile(path.join(dir, 'lighthouse.png'), bytes);
    const { entries, report } = await scanAndRepair(dir);
    expect(report.adopted).toEqual(['lighthouse.png']);
    expect(entries[0]).toMatchObject({
      prompt: INVOKE_METADATA.positive_prompt,
      model: 'Juggernaut XL v9',
      seed: 1234567,
    });
  });

  it('keeps A1111 parameters and our own recipe first', async () => {
    const a1111 = withChunks(comfyPng(await makeImage('png')), {
      parameters: 'an owl\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3, Model: dreamshaper',
    });
    const { entry } = await importImage(dir, { bytes: a1111, name: 'owl.png' });
    expect(entry).toMatchObject({ prompt: 'an owl', model: 'dreamshaper' });
    const ours = readEmbedded(
      embedRecipe(comfyPng(await makeImage('png')), 'png', {
        format: 1,
        id: '01JDQ8Y3V4K6Z0R2M5N7P9Q1S3',
        operation: 'text-to-image',
        endpoint: '/v2beta/stable-image/generate/core',
        model: null,
        params: { prompt: 'ours' },
        seed: 1,
        finishReason: 'SUCCESS',
        credits: 3,
        createdAt: '2026-11-30T07:40:00.000Z',
        appVersion: '0.1.0',
        image: { format: 'png', width: 32, height: 24 },
        inputs: [],
        sandbox: true,
      }),
    );
    expect(ours.recipe?.params.prompt).toBe('ours');
    expect(ours.foreign).toBeUndefined();
  });
});
