/**
 * What the Library hands to other places: an image as Create's input, a recipe as Create's
 * settings, two images to Compare; and the clipboard.
 */
import { AtelierError, type LibraryItem } from '../../../shared/api';
import { ASPECT_RATIOS, STYLE_PRESETS } from '../../../shared/endpoints';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { useCreate } from '../../state/create';
import { useLibraryBrowse } from '../../state/library-browse';
import { useLibraryIntent } from '../../state/library-intent';
import { useLibrarySelection } from '../../state/library-selection';
import { tell as toast } from '../../state/library-toast';
import { useNavigation } from '../../state/navigation';
import { modelChoices, type FormState } from '../../state/create-form';
import { reuseGuideSettings } from '../../state/guide-recall';
import { mediaUrl } from '../../ui/library-media';

/** Puts the image into Create's drop zone (image-to-image, or upscale) and goes there. */
export async function takeAsInput(
  item: LibraryItem,
  target: 'transform' | 'upscale',
): Promise<void> {
  const folder = useLibraryBrowse.getState().folder;
  if (!folder) return;
  useLibraryIntent.setState({ intent: { kind: 'use-as-input', item, target, ids: [item.id] } });
  useCreate.getState().setForm({ tab: target });
  useLibrarySelection.getState().openDetail(null);
  useNavigation.getState().goTo('create');
  await useCreate.getState().takeLibraryPicture(item.id, mediaUrl(folder, item));
}

/** Fills Create's form with the image's prompt, seed and settings, and goes there. */
export async function reuseSettings(item: LibraryItem): Promise<void> {
  let params: Record<string, unknown> = {};
  try {
    const { recipe } = await getBridge().invoke('library.get', { id: item.id });
    params = recipe.params;
    // A guide result: its mode, sliders and reference pictures (guide-recall.ts).
    if (await reuseGuideSettings(item, recipe)) return leaveFor(item);
  } catch (error) {
    toast(messageOf(error));
    return;
  }
  const patch: Partial<FormState> = {
    tab: 'generate',
    prompt: item.prompt,
    negativePrompt: item.negativePrompt,
  };
  if (item.seed !== null && item.seed > 0) {
    patch.seedMode = 'fixed';
    patch.seed = item.seed;
  }
  const ratio = params.aspect_ratio;
  const aspect = ASPECT_RATIOS.find((r) => r === ratio);
  if (aspect) patch.aspectRatio = aspect;
  const style = STYLE_PRESETS.find((s) => s === params.style_preset);
  if (style) patch.stylePreset = style;
  const choice = modelChoices().find((c) => c.model === item.model || c.id === item.model);
  if (choice) patch.model = choice.id;
  useCreate.getState().setForm(patch);
  leaveFor(item);
}

/** After Reuse settings: the intent noted, the detail closed, Create shown. */
function leaveFor(item: LibraryItem): void {
  useLibraryIntent.setState({ intent: { kind: 'reuse-settings', item, ids: [item.id] } });
  useLibrarySelection.getState().openDetail(null);
  useNavigation.getState().goTo('create');
}

/**
 * Opens Compare with two library images: the ids wait in useLibraryIntent ({kind: 'compare'}) for
 * Compare to take (its store has openLibraryIds(a, b)).
 */
export function compareTwo(a: string, b: string): void {
  useLibraryIntent.setState({ intent: { kind: 'compare', ids: [a, b] } });
  useNavigation.getState().goTo('compare');
}

/**
 * Copies the image to the clipboard as PNG (the one format every program pastes). The core does it
 * through the desktop app's own clipboard (the window may not write to it); where the core cannot
 * (the browser shell answers 'not_available'), the browser's clipboard does.
 */
export async function copyImage(item: LibraryItem): Promise<void> {
  try {
    await getBridge().invoke('app.copyImage', { path: item.path });
    toast('Copied the image.');
    return;
  } catch (error) {
    if (!(error instanceof AtelierError && error.code === 'not_available')) {
      toast(messageOf(error));
      return;
    }
  }
  try {
    await copyInBrowser(item);
    toast('Copied the image.');
  } catch {
    toast('The image could not be copied. Try again, or use Reveal in folder and copy the file.');
  }
}

async function copyInBrowser(item: LibraryItem): Promise<void> {
  const response = await fetch(mediaUrl(useLibraryBrowse.getState().folder, item));
  if (!response.ok) throw new Error('missing');
  let blob = await response.blob();
  if (blob.type !== 'image/png') {
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    blob = await canvas.convertToBlob({ type: 'image/png' });
  }
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
}
