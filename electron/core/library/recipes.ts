/**
 * Other tools' recipes, read from the text chunks of their PNGs:
 *
 *   ComfyUI   `prompt`: the API graph ({ "<node id>": { class_type, inputs } }, a link is
 *             [node id, output index]); `workflow`: the editor's graph ({ nodes, links }). The
 *             positive prompt is found by following the sampler's `positive` input back to the
 *             text of a CLIPTextEncode (through conditioning nodes on the way); the model is the
 *             checkpoint loader's `ckpt_name` (or a UNET loader's `unet_name`).
 *   InvokeAI  `invokeai_metadata`: { positive_prompt, negative_prompt, model: { name } | string,
 *             seed, steps, cfg_scale, scheduler }.
 *
 * The chunks come from the library folder (untrusted, it syncs) or from a dropped picture: the JSON
 * is parsed within the depth limit, every value is type-checked, and the walk through a graph is
 * bounded in nodes, steps and text length, with cycles cut.
 */
import { parseBoundedJson } from './files';

export const COMFY_PROMPT_KEYWORD = 'prompt';
export const COMFY_WORKFLOW_KEYWORD = 'workflow';
export const INVOKEAI_KEYWORD = 'invokeai_metadata';

/** What another tool's picture says about how it was made, where it could be found. */
export interface ForeignRecipe {
  tool: 'comfyui' | 'invokeai';
  prompt: string | null;
  negativePrompt: string | null;
  model: string | null;
  seed: number | null;
  steps: number | null;
  cfgScale: number | null;
  sampler: string | null;
}

/** The bounds on a graph: more nodes than any real workflow has, and a short walk through it. */
export const RECIPE_LIMITS = {
  nodes: 5000,
  /** Nodes visited while following one input back to its text (cycles are cut before that). */
  steps: 200,
  /** The longest prompt or model name kept. */
  textChars: 20_000,
  modelChars: 256,
} as const;

type Json = unknown;

const isRecord = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: Json, max: number = RECIPE_LIMITS.textChars): string | null {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t === '' ? null : t.slice(0, max);
}

/** A model's name: its file's name only (a loader may name a whole path, which is not shown). */
function modelName(v: Json): string | null {
  const t = text(v, 4 * RECIPE_LIMITS.modelChars);
  if (t === null) return null;
  return text(
    t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf('\\')) + 1),
    RECIPE_LIMITS.modelChars,
  );
}

function num(v: Json): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function parse(json: string): Json {
  try {
    return parseBoundedJson(json);
  } catch {
    return null;
  }
}

function empty(tool: ForeignRecipe['tool']): ForeignRecipe {
  return {
    tool,
    prompt: null,
    negativePrompt: null,
    model: null,
    seed: null,
    steps: null,
    cfgScale: null,
    sampler: null,
  };
}

const found = (r: ForeignRecipe) =>
  r.prompt !== null || r.model !== null || r.seed !== null || r.steps !== null;

// -- InvokeAI -------------------------------------------------------------------------------------

/** InvokeAI's `invokeai_metadata` chunk; null when it is not that (or says nothing we show). */
export function readInvokeAi(json: string): ForeignRecipe | null {
  const data = parse(json);
  if (!isRecord(data)) return null;
  const model = data.model;
  const recipe: ForeignRecipe = {
    ...empty('invokeai'),
    prompt: text(data.positive_prompt),
    negativePrompt: text(data.negative_prompt),
    model: modelName(isRecord(model) ? model.name : model),
    seed: num(data.seed),
    steps: num(data.steps),
    cfgScale: num(data.cfg_scale),
    sampler: text(data.scheduler, RECIPE_LIMITS.modelChars),
  };
  return found(recipe) ? recipe : null;
}

// -- ComfyUI --------------------------------------------------------------------------------------

/** One node of either graph, reduced to what the walk needs. */
interface Node {
  type: string;
  /** Widget values by input name (API graph), or in order (editor graph: `widgets_values`). */
  values: Record<string, Json>;
  ordered: Json[];
  /** Input name → the node it is linked from. */
  links: Record<string, string>;
}

type Graph = Map<string, Node>;

/** The API graph of the `prompt` chunk. */
function apiGraph(data: Json): Graph | null {
  if (!isRecord(data)) return null;
  const graph: Graph = new Map();
  for (const [id, raw] of Object.entries(data)) {
    if (graph.size >= RECIPE_LIMITS.nodes) break;
    if (!isRecord(raw) || typeof raw.class_type !== 'string' || !isRecord(raw.inputs)) continue;
    const values: Record<string, Json> = {};
    const links: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw.inputs)) {
      if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'number') {
        const from: Json = value[0];
        if (typeof from === 'string' || typeof from === 'number') links[name] = String(from);
      } else values[name] = value;
    }
    graph.set(id, { type: raw.class_type, values, ordered: [], links });
  }
  return graph.size > 0 ? graph : null;
}

/** The editor graph of the `workflow` chunk (nodes with widgets_values, links as arrays). */
function editorGraph(data: Json): Graph | null {
  if (!isRecord(data) || !Array.isArray(data.nodes)) return null;
  // link id → origin node id: [id, from node, from slot, to node, to slot, type]
  const origin = new Map<string, string>();
  if (Array.isArray(data.links)) {
    for (const link of data.links.slice(0, RECIPE_LIMITS.nodes * 4)) {
      if (Array.isArray(link) && link.length >= 2) {
        const [id, from] = link as Json[];
        if ((typeof id === 'number' || typeof id === 'string') && typeof from === 'number')
          origin.set(String(id), String(from));
      }
    }
  }
  const graph: Graph = new Map();
  for (const raw of data.nodes.slice(0, RECIPE_LIMITS.nodes)) {
    if (!isRecord(raw) || typeof raw.type !== 'string') continue;
    if (typeof raw.id !== 'number' && typeof raw.id !== 'string') continue;
    const links: Record<string, string> = {};
    if (Array.isArray(raw.inputs)) {
      for (const input of raw.inputs.slice(0, 100)) {
        if (!isRecord(input) || typeof input.name !== 'string') continue;
        const link = input.link;
        const from =
          typeof link === 'number' || typeof link === 'string' ? origin.get(String(link)) : null;
        if (from !== undefined && from !== null) links[input.name] = from;
      }
    }
    const ordered = Array.isArray(raw.widgets_values) ? raw.widgets_values.slice(0, 100) : [];
    graph.set(String(raw.id), { type: raw.type, values: {}, ordered, links });
  }
  return graph.size > 0 ? graph : null;
}

/** A node's widget by name (API graph), else its position among the widgets (editor graph). */
function widget(node: Node, name: string, position: number): Json {
  return name in node.values ? node.values[name] : node.ordered[position];
}

const SAMPLER_INPUTS = ['positive', 'negative'] as const;
/** Inputs that carry conditioning on its way to a sampler (combine, concat, ControlNet, guiders). */
const CONDITIONING_INPUTS = [
  'conditioning',
  'conditioning_to',
  'conditioning_1',
  'conditioning_from',
  'conditioning_2',
  'positive',
  'guider',
] as const;
/** Inputs where a text node's text may come from another node (a primitive, a string node). */
const TEXT_INPUTS = ['text', 'text_g', 'text_l', 'string', 'value', 't5xxl', 'clip_l'] as const;

/** The text a node stands for: its own text widget, or the text linked into it. */
function textOf(graph: Graph, id: string, seen: Set<string>): string | null {
  if (seen.has(id) || seen.size >= RECIPE_LIMITS.steps) return null;
  seen.add(id);
  const node = graph.get(id);
  if (!node) return null;
  for (const name of TEXT_INPUTS) {
    const own = text(node.values[name]);
    if (own !== null) return own;
    const from = node.links[name];
    if (from !== undefined) {
      const linked = textOf(graph, from, seen);
      if (linked !== null) return linked;
    }
  }
  // Editor graph: a text-encoding or primitive node keeps its text as its first string widget.
  if (/TextEncode|Primitive|String|Text/i.test(node.type)) {
    for (const v of node.ordered) {
      const t = text(v);
      if (t !== null) return t;
    }
  }
  return null;
}

/** Follows conditioning back from a sampler's input to the text that made it. */
function promptFrom(graph: Graph, id: string, seen: Set<string>): string | null {
  if (seen.has(id) || seen.size >= RECIPE_LIMITS.steps) return null;
  seen.add(id);
  const node = graph.get(id);
  if (!node) return null;
  if (/TextEncode/i.test(node.type)) return textOf(graph, id, new Set());
  for (const name of CONDITIONING_INPUTS) {
    const from = node.links[name];
    if (from === undefined) continue;
    const t = promptFrom(graph, from, seen);
    if (t !== null) return t;
  }
  return null;
}

/** The model loaded for a sampler: follows `model` back (through LoRA loaders) to a loader. */
function modelFrom(graph: Graph, id: string, seen: Set<string>): string | null {
  if (seen.has(id) || seen.size >= RECIPE_LIMITS.steps) return null;
  seen.add(id);
  const node = graph.get(id);
  if (!node) return null;
  const own = loaderName(node);
  if (own !== null) return own;
  for (const name of ['model', 'guider'] as const) {
    const from = node.links[name];
    if (from !== undefined) {
      const m = modelFrom(graph, from, seen);
      if (m !== null) return m;
    }
  }
  return null;
}

function loaderName(node: Node): string | null {
  for (const name of ['ckpt_name', 'unet_name'] as const) {
    const v = modelName(node.values[name]);
    if (v !== null) return v;
  }
  if (/CheckpointLoader|UNETLoader|UnetLoader/i.test(node.type)) return modelName(node.ordered[0]);
  return null;
}

/** The sampler: the node with a linked `positive` input, a KSampler first. */
function samplerOf(graph: Graph): [string, Node] | null {
  let best: [string, Node] | null = null;
  for (const [id, node] of graph) {
    if (node.links.positive === undefined && node.links.guider === undefined) continue;
    if (/Sampler/i.test(node.type)) return [id, node];
    best ??= [id, node];
  }
  return best;
}

function comfyRecipe(graph: Graph): ForeignRecipe | null {
  const recipe = empty('comfyui');
  const sampler = samplerOf(graph);
  if (sampler) {
    const [, node] = sampler;
    const [positive, negative] = SAMPLER_INPUTS.map((name) => {
      const from = node.links[name];
      return from === undefined ? null : promptFrom(graph, from, new Set());
    });
    recipe.prompt =
      positive ?? (node.links.guider ? promptFrom(graph, sampler[0], new Set()) : null);
    recipe.negativePrompt = negative ?? null;
    recipe.model = modelFrom(graph, sampler[0], new Set());
    // KSampler's widgets: seed, control_after_generate, steps, cfg, sampler_name, scheduler, denoise.
    recipe.seed = num(widget(node, 'seed', 0)) ?? num(node.values.noise_seed);
    recipe.steps = num(widget(node, 'steps', 2));
    recipe.cfgScale = num(widget(node, 'cfg', 3));
    recipe.sampler = text(widget(node, 'sampler_name', 4), RECIPE_LIMITS.modelChars);
  }
  if (recipe.model === null) {
    for (const node of graph.values()) {
      recipe.model = loaderName(node);
      if (recipe.model !== null) break;
    }
  }
  return found(recipe) ? recipe : null;
}

/**
 * ComfyUI's chunks: the API graph (`prompt`) when it says something, else the editor's graph
 * (`workflow`). Null when neither is a ComfyUI graph we can read.
 */
export function readComfyUi(prompt: string | null, workflow: string | null): ForeignRecipe | null {
  const fromApi = prompt === null ? null : apiGraph(parse(prompt));
  const api = fromApi ? comfyRecipe(fromApi) : null;
  if (api?.prompt) return api;
  const fromEditor = workflow === null ? null : editorGraph(parse(workflow));
  const editor = fromEditor ? comfyRecipe(fromEditor) : null;
  return editor?.prompt ? editor : (api ?? editor);
}
