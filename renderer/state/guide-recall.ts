/**
 * Reuse settings for a guide result: the Guide tab in its mode, its sliders, prompt, seed and file
 * settings, and its reference pictures staged again from the library's inputs folder by the
 * entry's id and each picture's role (inputs.fromReference). A reference no longer there gets a
 * sentence on its drop target.
 */
import type { LibraryItem, LibraryRecipe } from '../../shared/api';
import { ASPECT_RATIOS, OUTPUT_FORMATS, STYLE_PRESETS } from '../../shared/endpoints';
import { mediaUrl } from '../ui/library-media';
import { INITIAL_FORM, type FormState } from './create-form';
import { useCreate } from './create';
import { guideModeInfo, guideModeOfPath, guideSliders, type GuideValues } from './guide-form';
import { useGuide } from './guide';
import { useLibraryBrowse } from './library-browse';

/** The form a guide recipe asks for, or null when the entry is not a guide result. */
export function guideFormOf(
  item: Pick<LibraryItem, 'endpoint' | 'prompt' | 'negativePrompt' | 'seed'>,
  params: LibraryRecipe['params'],
): Partial<FormState> | null {
  const mode = guideModeOfPath(item.endpoint);
  if (!mode) return null;
  const values: GuideValues = {};
  for (const slider of guideSliders(mode)) {
    const value = params[slider.param];
    if (typeof value === 'number' && value >= slider.min && value <= slider.max) {
      values[slider.param] = value;
    }
  }
  const patch: Partial<FormState> = {
    tab: 'guide',
    guide: { mode, values },
    prompt: item.prompt,
    negativePrompt: item.negativePrompt,
    seedMode: 'random',
    seed: 0,
    aspectRatio: ASPECT_RATIOS.find((r) => r === params.aspect_ratio) ?? INITIAL_FORM.aspectRatio,
    stylePreset: STYLE_PRESETS.find((s) => s === params.style_preset) ?? '',
  };
  if (item.seed !== null && item.seed > 0) {
    patch.seedMode = 'fixed';
    patch.seed = item.seed;
  }
  const format = OUTPUT_FORMATS.find((f) => f === params.output_format);
  if (format) patch.outputFormat = format;
  return patch;
}

/**
 * Puts a guide result's settings and references back into Create. False when the entry is not a
 * guide result (the caller restores it its own way).
 */
export async function reuseGuideSettings(
  item: Pick<LibraryItem, 'id' | 'endpoint' | 'prompt' | 'negativePrompt' | 'seed'>,
  recipe: Pick<LibraryRecipe, 'params' | 'inputs'>,
): Promise<boolean> {
  const patch = guideFormOf(item, recipe.params);
  if (!patch?.guide) return false;
  useCreate.getState().setForm(patch);
  const guide = useGuide.getState();
  await Promise.all(
    guideModeInfo(patch.guide.mode).slots.map(async (slot) => {
      guide.clear(slot.field);
      const kept = recipe.inputs.find((input) => input.role === slot.field);
      if (!kept) {
        guide.tell(
          slot.field,
          `This picture's recipe names no ${slot.label.toLowerCase()}. Drop one here to make it again.`,
        );
        return;
      }
      const preview = mediaUrl(useLibraryBrowse.getState().folder, { path: kept.file });
      await guide.takeReference(slot.field, item.id, slot.field, preview);
    }),
  );
  return true;
}
