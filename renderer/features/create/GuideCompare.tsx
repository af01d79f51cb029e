/**
 * "Compare with original" on a guide result: each reference it was made with (the sketch, the
 * structure or style picture, or style transfer's two), read from its library recipe and opened in
 * Compare beside the result. One reference opens at once; two are offered by name.
 */
import { useState } from 'react';
import type { JobView } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { useCompare } from '../../state/compare';
import { GUIDE_MODES, type ReferenceSlot } from '../../state/guide-form';
import { useLibraryBrowse } from '../../state/library-browse';
import { mediaUrl } from '../../ui/library-media';

async function openWithReference(resultId: string, slot: ReferenceSlot): Promise<void> {
  const compare = useCompare.getState();
  const { entry, recipe } = await getBridge()
    .invoke('library.get', { id: resultId })
    .catch(() => ({ entry: null, recipe: null }));
  const input = recipe?.inputs.find((i) => i.role === slot.field);
  if (!entry || !input) {
    await compare.openResultWithInput(resultId);
    return;
  }
  await compare.openComparison(
    {
      url: mediaUrl(useLibraryBrowse.getState().folder, { path: input.file }),
      title: slot.label,
      width: input.width,
      height: input.height,
      madeFrom: { id: entry.id, role: input.role },
    },
    { libraryId: entry.id, title: 'Result' },
  );
}

export function CompareReferences({ job, resultId }: { job: JobView; resultId: string }) {
  const [open, setOpen] = useState(false);
  const slots = GUIDE_MODES.find((m) => m.endpoint === job.endpoint)?.slots ?? [];
  const [only] = slots;
  if (slots.length <= 1) {
    return (
      <button
        type="button"
        className="chip-button"
        title={`Compare this picture with the ${only?.label.toLowerCase() ?? 'picture'} it was made from`}
        onClick={() => void (only ? openWithReference(resultId, only) : undefined)}
      >
        Compare with original
      </button>
    );
  }
  return (
    <>
      <button
        type="button"
        className="chip-button"
        aria-expanded={open}
        title="Compare this picture with one of the pictures it was made from"
        onClick={() => setOpen(!open)}
      >
        Compare with original…
      </button>
      {open
        ? slots.map((slot) => (
            <button
              key={slot.field}
              type="button"
              className="chip-button"
              aria-label={`Compare with ${slot.label.toLowerCase()}`}
              onClick={() => void openWithReference(resultId, slot)}
            >
              {slot.label}
            </button>
          ))
        : null}
    </>
  );
}
