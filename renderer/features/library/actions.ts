/**
 * What the Library hands to other places: an image as Create's input, a recipe as Create's
 * settings, two images to Compare; and the clipboard.
 */
import { AtelierError, type LibraryItem, type LibraryRecipe } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { useCreate } from '../../state/create';
import { useLibraryBrowse } from '../../state/library-browse';
import { useLibraryIntent } from '../../state/library-intent';
import { useLibrarySelection } from '../../state/library-selection';
import { useLibraryView } from '../../state/library-view';
import { tell as toast } from '../../state/library-toast';
import { useNavigation } from '../../state/navigation';
import { recallOf, recallSentence } from '../../state/recall';
import { useRecallNote } from '../../state/recall-note';
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

/**
 * Full recall: fills Create's form with everything the recipe holds (recallOf: the tab, the model,
 * CFG, strength or creativity, style, format, aspect ratio, the seed), stages the input picture
 * while it is still in the library's inputs, and goes there. What could not come back is said in
 * one sentence above the form.
 */
export async function reuseSettings(item: LibraryItem): Promise<void> {
  let recipe: LibraryRecipe;
  try {
    recipe = (await getBridge().invoke('library.get', { id: item.id })).recipe;
    // A guide result: its mode, sliders and reference pictures (guide-recall.ts).
    if (await reuseGuideSettings(item, recipe)) return leaveFor(item);
  } catch (error) {
    toast(messageOf(error));
    return;
  }
  const recall = recallOf({ ...item, params: recipe.params, inputs: recipe.inputs });
  const create = useCreate.getState();
  create.setForm(recall.form);
  useRecallNote.getState().setNote(recallSentence(recall.missing));
  leaveFor(item);
  if (!recall.inputRole) return;
  useCreate.setState({ inputBusy: true, inputError: null });
  try {
    const view = await getBridge().invoke('inputs.fromRecipe', {
      id: item.id,
      role: recall.inputRole,
    });
    const stored = recipe.inputs.find((i) => i.role === recall.inputRole);
    const folder = useLibraryBrowse.getState().folder;
    useCreate.getState().takeStaged(view, stored ? mediaUrl(folder, { path: stored.file }) : null);
  } catch (error) {
    useCreate.getState().clearInput();
    useCreate.setState({ inputBusy: false, inputError: messageOf(error) });
    useRecallNote
      .getState()
      .setNote(recallSentence([...recall.missing, 'the input picture (drop it again)']));
  }
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
 * C in the viewer: the first picture to compare. The viewer closes and the grid asks for the
 * second (the next one picked: a click, Enter, a double-click, or C in the viewer on another).
 */
export function pickToCompare(item: LibraryItem): void {
  const waiting = useLibraryView.getState().comparePick;
  if (waiting && waiting.id !== item.id) {
    useLibraryView.getState().pickForCompare(null);
    useLibrarySelection.getState().openDetail(null);
    compareTwo(waiting.id, item.id);
    return;
  }
  useLibraryView.getState().pickForCompare(item);
  useLibrarySelection.getState().openDetail(null);
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.library-grid')?.focus());
}

/** A picture picked in the grid: true when it completed a comparison C started. */
export function pickedForCompare(item: LibraryItem): boolean {
  const waiting = useLibraryView.getState().comparePick;
  if (!waiting || waiting.id === item.id) return false;
  pickToCompare(item);
  return true;
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
