/**
 * Embedding the recipe in the image, and reading it (or another tool's parameters) back.
 *
 *   PNG   `parameters` tEXt (iTXt when not Latin-1) + `atelier` iTXt with the JSON, right after IHDR
 *   JPEG  XMP in an APP1 segment (dc:description + atelier:parameters + atelier:recipe)
 *   WebP  the same XMP in an `XMP ` chunk of an extended (VP8X) container
 *
 * The compressed image data is never re-encoded: the pixels stored are the pixels received.
 */
import {
  EmbeddedRecipeSchema,
  type EmbeddedRecipe,
  type ImageFormat,
  type JsonValue,
} from './format';
import { parseBoundedJson } from './files';
import { detectFormat } from './imageinfo';
import { readJpegUserComment, readJpegXmp, setJpegXmp } from './jpeg';
import { formatParameters, parseParameters } from './parameters';
import { itxtChunk, readPngTexts, setPngTexts, textChunk } from './png';
import {
  COMFY_PROMPT_KEYWORD,
  COMFY_WORKFLOW_KEYWORD,
  INVOKEAI_KEYWORD,
  readComfyUi,
  readInvokeAi,
  type ForeignRecipe,
} from './recipes';
import { readWebpXmp, setWebpXmp } from './webp';
import { buildXmp, parseXmp } from './xmp';

export const PNG_RECIPE_KEYWORD = 'atelier';
export const PNG_PARAMETERS_KEYWORD = 'parameters';

export interface EmbeddedMetadata {
  /** Our recipe, when the image carries a valid one. */
  recipe: EmbeddedRecipe | null;
  /** The plain-text parameters, ours or another tool's. */
  parameters: string | null;
  /** Another tool's recipe in its own form (ComfyUI's graph, InvokeAI's metadata), when found. */
  foreign?: ForeignRecipe | null;
}

function stringParam(params: Record<string, JsonValue>, key: string): string | null {
  const value = params[key];
  return typeof value === 'string' ? value : null;
}

/** The plain-text parameters line for a recipe (what other SD tools show). */
export function parametersForRecipe(recipe: EmbeddedRecipe): string {
  return formatParameters({
    prompt: stringParam(recipe.params, 'prompt') ?? '',
    negativePrompt: stringParam(recipe.params, 'negative_prompt'),
    seed: recipe.seed,
    width: recipe.image.width,
    height: recipe.image.height,
    model: recipe.model,
    params: recipe.params,
    extra: { Operation: recipe.operation, Version: `Atelier ${recipe.appVersion}` },
  });
}

/** Returns the image bytes with the recipe embedded. Pixel data is untouched. */
export function embedRecipe(
  bytes: Uint8Array,
  format: ImageFormat,
  recipe: EmbeddedRecipe,
): Buffer {
  const json = JSON.stringify(recipe);
  const parameters = parametersForRecipe(recipe);
  if (format === 'png') {
    return setPngTexts(bytes, [
      textChunk(PNG_PARAMETERS_KEYWORD, parameters),
      itxtChunk(PNG_RECIPE_KEYWORD, json),
    ]);
  }
  const xmp = buildXmp({ parameters, recipe: json });
  if (format === 'jpeg') {
    try {
      return setJpegXmp(bytes, xmp);
    } catch {
      // A recipe too large for one APP1 segment (64 KiB): keep the parameters only.
      return setJpegXmp(bytes, buildXmp({ parameters, recipe: null }));
    }
  }
  return setWebpXmp(bytes, xmp);
}

function parseRecipe(json: string | null): EmbeddedRecipe | null {
  if (json === null) return null;
  try {
    const result = EmbeddedRecipeSchema.safeParse(parseBoundedJson(json));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/**
 * Reads what an image carries. Never throws: an unreadable file carries nothing. Bounded: text
 * chunks inflate to at most LIBRARY_LIMITS.textChunkBytes, XMP over LIBRARY_LIMITS.xmpBytes is
 * not read, JSON nested deeper than LIBRARY_LIMITS.jsonDepth is not parsed, and another tool's
 * graph is walked within RECIPE_LIMITS (./recipes).
 */
export function readEmbedded(bytes: Uint8Array): EmbeddedMetadata {
  try {
    const format = detectFormat(bytes);
    if (format === 'png') {
      const texts = readPngTexts(bytes, [
        PNG_RECIPE_KEYWORD,
        PNG_PARAMETERS_KEYWORD,
        INVOKEAI_KEYWORD,
        COMFY_PROMPT_KEYWORD,
        COMFY_WORKFLOW_KEYWORD,
      ]);
      const chunk = (keyword: string) => texts.find((t) => t.keyword === keyword)?.text ?? null;
      const recipe = parseRecipe(chunk(PNG_RECIPE_KEYWORD));
      const parameters = chunk(PNG_PARAMETERS_KEYWORD);
      if (recipe) return { recipe, parameters };
      const invoke = chunk(INVOKEAI_KEYWORD);
      const comfyPrompt = chunk(COMFY_PROMPT_KEYWORD);
      const comfyWorkflow = chunk(COMFY_WORKFLOW_KEYWORD);
      const foreign =
        (invoke === null ? null : readInvokeAi(invoke)) ??
        (comfyPrompt === null && comfyWorkflow === null
          ? null
          : readComfyUi(comfyPrompt, comfyWorkflow));
      return foreign ? { recipe, parameters, foreign } : { recipe, parameters };
    }
    if (format === 'jpeg') {
      const xmp = readJpegXmp(bytes);
      const fields = xmp === null ? { parameters: null, recipe: null } : parseXmp(xmp);
      return {
        recipe: parseRecipe(fields.recipe),
        parameters: fields.parameters ?? readJpegUserComment(bytes),
      };
    }
    if (format === 'webp') {
      const xmp = readWebpXmp(bytes);
      const fields = xmp === null ? { parameters: null, recipe: null } : parseXmp(xmp);
      return { recipe: parseRecipe(fields.recipe), parameters: fields.parameters };
    }
  } catch {
    // fall through
  }
  return { recipe: null, parameters: null };
}

/**
 * The prompt an image carries: our recipe's, else the first part of another tool's parameters
 * text. Undefined when it carries none (or only an empty one).
 */
export function embeddedPrompt(meta: EmbeddedMetadata): string | undefined {
  const ours = meta.recipe ? stringParam(meta.recipe.params, 'prompt') : null;
  const theirs = meta.parameters !== null ? parseParameters(meta.parameters)?.prompt : undefined;
  const prompt = (ours ?? (theirs || undefined) ?? meta.foreign?.prompt ?? '').trim();
  return prompt === '' ? undefined : prompt;
}
