/**
 * Pictures as ComfyUI and InvokeAI write them (their PNG text chunks), for the unit tests and the
 * e2e test of reading other tools' recipes.
 */
import { setPngTexts, textChunk } from '../../../electron/core/library/png';

export const COMFY_POSITIVE =
  'beautiful scenery nature glass bottle landscape, purple galaxy bottle';
export const COMFY_NEGATIVE = 'text, watermark';
export const COMFY_MODEL = 'v1-5-pruned-emaonly.safetensors';

/** ComfyUI's default workflow, as its `prompt` chunk holds it (the API graph). */
export function comfyApiGraph(): Record<string, unknown> {
  return {
    '3': {
      inputs: {
        seed: 156680208700286,
        steps: 20,
        cfg: 8,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise: 1,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: ['5', 0],
      },
      class_type: 'KSampler',
    },
    '4': { inputs: { ckpt_name: COMFY_MODEL }, class_type: 'CheckpointLoaderSimple' },
    '5': { inputs: { width: 512, height: 512, batch_size: 1 }, class_type: 'EmptyLatentImage' },
    '6': { inputs: { text: COMFY_POSITIVE, clip: ['4', 1] }, class_type: 'CLIPTextEncode' },
    '7': { inputs: { text: COMFY_NEGATIVE, clip: ['4', 1] }, class_type: 'CLIPTextEncode' },
    '8': { inputs: { samples: ['3', 0], vae: ['4', 2] }, class_type: 'VAEDecode' },
    '9': { inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] }, class_type: 'SaveImage' },
  };
}

/** The same workflow as the editor saves it (the `workflow` chunk). */
export function comfyEditorGraph(): Record<string, unknown> {
  return {
    last_node_id: 9,
    last_link_id: 9,
    nodes: [
      {
        id: 3,
        type: 'KSampler',
        inputs: [
          { name: 'model', type: 'MODEL', link: 1 },
          { name: 'positive', type: 'CONDITIONING', link: 4 },
          { name: 'negative', type: 'CONDITIONING', link: 6 },
          { name: 'latent_image', type: 'LATENT', link: 2 },
        ],
        widgets_values: [156680208700286, 'randomize', 20, 8, 'euler', 'normal', 1],
      },
      { id: 4, type: 'CheckpointLoaderSimple', widgets_values: [COMFY_MODEL] },
      { id: 5, type: 'EmptyLatentImage', widgets_values: [512, 512, 1] },
      {
        id: 6,
        type: 'CLIPTextEncode',
        inputs: [{ name: 'clip', type: 'CLIP', link: 3 }],
        widgets_values: [COMFY_POSITIVE],
      },
      {
        id: 7,
        type: 'CLIPTextEncode',
        inputs: [{ name: 'clip', type: 'CLIP', link: 5 }],
        widgets_values: [COMFY_NEGATIVE],
      },
    ],
    links: [
      [1, 4, 0, 3, 0, 'MODEL'],
      [2, 5, 0, 3, 3, 'LATENT'],
      [3, 4, 1, 6, 0, 'CLIP'],
      [4, 6, 0, 3, 1, 'CONDITIONING'],
      [5, 4, 1, 7, 0, 'CLIP'],
      [6, 7, 0, 3, 2, 'CONDITIONING'],
    ],
    version: 0.4,
  };
}

export const INVOKE_METADATA = {
  generation_mode: 'txt2img',
  positive_prompt: 'a lighthouse on a cliff, stormy sea, oil painting',
  negative_prompt: 'people',
  width: 1024,
  height: 1024,
  seed: 1234567,
  cfg_scale: 6.5,
  steps: 30,
  scheduler: 'dpmpp_2m',
  model: { key: 'a1b2', hash: 'blake3:00', name: 'Juggernaut XL v9', base: 'sdxl', type: 'main' },
};

/** A PNG with the given text chunks (tEXt, as ComfyUI's PIL and InvokeAI write them). */
export function withChunks(png: Uint8Array, chunks: Record<string, string>): Buffer {
  return setPngTexts(
    png,
    Object.entries(chunks).map(([keyword, text]) => textChunk(keyword, text)),
  );
}

export function comfyPng(png: Uint8Array): Buffer {
  return withChunks(png, {
    prompt: JSON.stringify(comfyApiGraph()),
    workflow: JSON.stringify(comfyEditorGraph()),
  });
}
