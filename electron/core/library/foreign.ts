/**
 * The sidecar fields of an import whose picture carries another tool's recipe: A1111's parameters
 * (./parameters), ComfyUI's or InvokeAI's (./recipes).
 */
import { sanitizeParams, type ImportSource, type JsonValue, type Sidecar } from './format';
import type { ForeignRecipe } from './recipes';

/** What every reader of another tool's recipe finds (null: not found). */
export type ReadRecipe = Pick<
  ForeignRecipe,
  'prompt' | 'negativePrompt' | 'model' | 'seed' | 'steps' | 'cfgScale' | 'sampler'
>;

export function readRecipeFields(
  foreign: ReadRecipe,
): Pick<
  Sidecar,
  'endpoint' | 'model' | 'params' | 'seed' | 'finishReason' | 'credits' | 'sandbox' | 'inputs'
> {
  const params: Record<string, JsonValue> = {};
  if (foreign.prompt !== null) params.prompt = foreign.prompt;
  if (foreign.negativePrompt !== null) params.negative_prompt = foreign.negativePrompt;
  if (foreign.steps !== null) params.steps = foreign.steps;
  if (foreign.cfgScale !== null) params.cfg_scale = foreign.cfgScale;
  if (foreign.sampler !== null) params.sampler = foreign.sampler;
  return {
    endpoint: null,
    model: foreign.model,
    params: sanitizeParams(params),
    seed: foreign.seed,
    finishReason: null,
    credits: null,
    sandbox: false,
    inputs: [],
  };
}

/** The graph itself stays in the picture (it may be large): the sidecar names the tool only. */
export function foreignSource(foreign: ForeignRecipe, name: string | null): ImportSource {
  return { kind: foreign.tool, name, parameters: null, operation: null };
}
