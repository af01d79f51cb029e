/**
 * The whole recipe of one picture, beside the viewer: the prompt, then every parameter the recipe
 * holds (named as the endpoint table names them, or from its own name when the table does not
 * know it), the finish reason, the cost, what it was made from (each input by its role), its
 * source file, and every other field the sidecar carries (a parent, what newer versions add).
 * Generic on purpose: a field another part of Atelier adds to the recipe shows up here.
 */
import type { LibraryItem, LibraryRecipe } from '../../../shared/api';
import {
  ENDPOINTS,
  SD3_MODEL_LABELS,
  STYLE_PRESET_LABELS,
  findParam,
  type EndpointSpec,
  type Sd3Model,
  type StylePreset,
} from '../../../shared/endpoints';
import { useLibraryBrowse } from '../../state/library-browse';
import { useLibrarySelection } from '../../state/library-selection';
import { endpointOfPath } from '../../state/recall';
import { tell } from '../../state/library-toast';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { mediaUrl } from '../../ui/library-media';
import { starsLabel } from './RatingStars';

const OPERATION_LABELS: Readonly<Record<string, string>> = {
  'text-to-image': 'Text to image',
  'image-to-image': 'Image to image',
  upscale: 'Upscale',
  edit: 'Edit',
  control: 'Guided',
  comparison: 'Comparison',
  import: 'Imported',
};

export function operationLabel(operation: string): string {
  return OPERATION_LABELS[operation] ?? operation.replace(/-/g, ' ');
}

/** Shown in rows of their own (or not at all), not among the parameters. */
const OWN_ROWS = new Set(['prompt', 'negative_prompt', 'model', 'mode', 'seed']);

/** 'style_preset' → 'Style preset', 'parentId' → 'Parent id'. */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value of the recipe as text: scalars as they are, anything else as compact JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function formatCost(credits: number | null, sandbox: boolean): string {
  if (sandbox) return 'Free (Sandbox)';
  if (credits === null) return 'Unknown';
  return `${credits} credit${credits === 1 ? '' : 's'}`;
}

/** 'CONTENT_FILTERED' → 'Content filtered'. */
function finishText(reason: string): string {
  return fieldLabel(reason);
}

function roleLabel(role: string): string {
  if (role === 'image' || role === 'init_image') return 'Input picture';
  return fieldLabel(role);
}

function modelText(item: LibraryItem, spec: EndpointSpec | undefined): string | null {
  const label = item.model ? SD3_MODEL_LABELS[item.model as Sd3Model] : undefined;
  if (label) return `${label} (${item.model ?? ''})`;
  if (item.model) return item.model;
  return spec?.label ?? null;
}

function paramText(name: string, value: unknown): string {
  if (name === 'style_preset' && typeof value === 'string') {
    return STYLE_PRESET_LABELS[value as StylePreset] ?? value;
  }
  if (name === 'output_format' && typeof value === 'string') return value.toUpperCase();
  return valueText(value);
}

/** Opens another picture of the library (a parent) in the viewer, by its id. */
async function openById(id: string): Promise<void> {
  try {
    const { entry } = await getBridge().invoke('library.get', { id });
    useLibrarySelection.getState().openDetail(entry);
  } catch (error) {
    tell(messageOf(error));
  }
}

export function RecipePanel({
  item,
  recipe,
  error,
}: {
  item: LibraryItem;
  recipe: LibraryRecipe | null;
  error: string | null;
}) {
  const folder = useLibraryBrowse((s) => s.folder);
  const key = endpointOfPath(item.endpoint);
  const spec = key ? (ENDPOINTS as Record<string, EndpointSpec>)[key] : undefined;
  const params = recipe?.params ?? {};
  const rows: [string, string | null][] = [
    ['Operation', operationLabel(item.operation)],
    ['Model', modelText(item, spec)],
    ['Seed', item.seed !== null ? String(item.seed) : null],
    ['Size', `${item.width} × ${item.height} px, ${item.format.toUpperCase()}`],
  ];
  for (const [name, value] of Object.entries(params)) {
    if (OWN_ROWS.has(name)) continue;
    const label = (spec && findParam(spec, name)?.label) || fieldLabel(name);
    rows.push([label, paramText(name, value)]);
  }
  rows.push(
    ['Finish reason', recipe?.finishReason ? finishText(recipe.finishReason) : null],
    ['Cost', formatCost(item.credits, item.sandbox)],
    ['Rating', item.rating > 0 ? starsLabel(item.rating) : null],
    ['Made', new Date(item.createdMs).toLocaleString()],
    ['Source file', recipe?.source?.name ?? null],
  );
  const more = Object.entries(recipe?.more ?? {});
  const parent = recipe?.more.parent ?? recipe?.more.parentId;

  return (
    <section aria-label="Recipe" className="library-recipe">
      <h3 className="library-recipe__label">Prompt</h3>
      <p className="library-recipe__prompt selectable">{item.prompt || '—'}</p>
      {item.negativePrompt ? (
        <>
          <h3 className="library-recipe__label">Negative prompt</h3>
          <p className="library-recipe__prompt selectable">{item.negativePrompt}</p>
        </>
      ) : null}
      <dl className="library-recipe__list">
        {rows
          .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
          .map(([label, value]) => (
            <div key={label} className="library-recipe__row">
              <dt>{label}</dt>
              <dd className="selectable">{value}</dd>
            </div>
          ))}
        {more.map(([name, value]) => (
          <div key={`more-${name}`} className="library-recipe__row">
            <dt>{fieldLabel(name)}</dt>
            <dd className="selectable">{valueText(value)}</dd>
          </div>
        ))}
      </dl>
      {typeof parent === 'string' ? (
        <button
          type="button"
          className="button button--small library-recipe__parent"
          onClick={() => void openById(parent)}
        >
          Open the parent picture
        </button>
      ) : null}
      {recipe && recipe.inputs.length > 0 ? (
        <>
          <h3 className="library-recipe__label">Made from</h3>
          <ul className="library-recipe__inputs" aria-label="Made from">
            {recipe.inputs.map((input) => (
              <li key={`${input.role}-${input.file}`} className="library-recipe__input">
                <img src={mediaUrl(folder, { path: input.file })} alt={roleLabel(input.role)} />
                <span>
                  {roleLabel(input.role)}
                  <span className="muted">
                    {' '}
                    {input.width} × {input.height} px
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {recipe?.source?.parameters ? (
        <>
          <h3 className="library-recipe__label">Parameters it carried</h3>
          <pre className="library-recipe__raw selectable">{recipe.source.parameters}</pre>
        </>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
    </section>
  );
}
