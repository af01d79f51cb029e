/**
 * Create's Guide tab: which way a picture guides the new one (sketch, structure, style guide,
 * style transfer), the drop target of each picture (a drop, a paste, Choose file, or a Library
 * tile), and the sliders of the mode's endpoint. CreateForm shows the rest (prompt, leave out,
 * shape, seed, file, count, the button with its cost), as it does for the other tabs.
 */
import { Fragment, useEffect } from 'react';
import '../../styles/guide.css';
import { creditCost } from '../../../shared/endpoints';
import { useCreate } from '../../state/create';
import {
  GUIDE_MODES,
  checkReference,
  controlWords,
  guideModeInfo,
  guideSliders,
  guideSpec,
  guideValue,
  unsureNotes,
  type GuideField,
  type GuideMode,
  type ReferenceSlot,
} from '../../state/guide-form';
import { formatCredits } from '../../state/create-form';
import { useGuide } from '../../state/guide';
import { useLibraryBrowse } from '../../state/library-browse';
import { LIBRARY_DRAG_TYPE, readLibraryDrag } from '../../ui/library-drag';
import { mediaUrl } from '../../ui/library-media';
import { useFilePicker } from '../../ui/useFilePicker';
import {
  DropActions,
  DropPicture,
  firstFile,
  useDropTarget,
  firstItemFile,
  isLibraryPath,
} from './DropZone';
import { Slider } from './fields';

/** Takes what a drop or a paste carried into one field: a file, or a Library tile. */
function takeInto(field: GuideField, data: DataTransfer): boolean {
  const guide = useGuide.getState();
  const file = firstFile(data.files) ?? firstItemFile(data.items);
  if (file) {
    void guide.takeFile(field, file);
    return true;
  }
  const picture = readLibraryDrag(data.getData(LIBRARY_DRAG_TYPE));
  if (!picture) return false;
  const folder = useLibraryBrowse.getState().folder;
  const preview = isLibraryPath(picture.path) ? mediaUrl(folder, { path: picture.path }) : null;
  void guide.takeLibraryPicture(field, picture.id, preview);
  return true;
}

/** The field a picture dropped or pasted outside the targets goes to: the first empty one. */
function fieldForLoose(mode: GuideMode): GuideField {
  const { slots } = guideModeInfo(mode);
  const references = useGuide.getState().references;
  const empty = slots.find((slot) => !references[slot.field]);
  return (empty ?? slots[0])?.field ?? 'image';
}

/** A picture dropped anywhere in Create while Guide is open (CreatePlace's hook). */
export function takeGuideDrop(data: DataTransfer): boolean {
  return takeInto(fieldForLoose(useCreate.getState().form.guide.mode), data);
}

function ReferenceTarget({
  mode,
  slot,
  order,
}: {
  mode: GuideMode;
  slot: ReferenceSlot;
  /** 1 or 2 for style transfer's two pictures; 0 when the mode takes one. */
  order: number;
}) {
  const { field } = slot;
  const picture = useGuide((s) => s.references[field]);
  const busy = useGuide((s) => s.busy[field] === true);
  const stagingError = useGuide((s) => s.errors[field]);
  const takeFile = useGuide((s) => s.takeFile);
  const clear = useGuide((s) => s.clear);
  const refused = useCreate((s) => s.problems[field]);
  const filePicker = useFilePicker({
    accept: 'image/*',
    onFiles: ([file]) => {
      if (file) void takeFile(field, file);
    },
  });
  const check = picture ? checkReference(mode, slot, picture) : {};
  const message = stagingError ?? (picture ? check.error : refused);
  const labelId = `guide-${field}-label`;
  const helpId = `guide-${field}-help`;

  const { over, handlers } = useDropTarget((data) => takeInto(field, data));

  const tone = order === 2 ? ' reference--style' : order === 1 ? ' reference--content' : '';
  return (
    <div className={`field reference${tone}`}>
      <span className="field__label reference__label" id={labelId}>
        {order > 0 ? (
          <span className="reference__badge" aria-hidden="true">
            {order}
          </span>
        ) : null}
        {slot.label}
      </span>
      <div
        className={`drop${over ? ' drop--over' : ''}${picture ? ' drop--filled' : ''}`}
        data-testid={`guide-drop-${field}`}
        data-guide-field={field}
        role="group"
        tabIndex={-1}
        aria-labelledby={labelId}
        aria-describedby={helpId}
        {...handlers}
      >
        <DropPicture
          picture={picture}
          alt={picture ? `${slot.label}: ${picture.name}` : ''}
          empty={busy ? 'Reading the picture…' : `Drop ${slot.noun} here`}
        />
        <p className="drop__help" id={helpId}>
          {slot.hint} Drag it here, paste it, or
          <DropActions
            choose={filePicker.open}
            remove={picture ? () => clear(field) : null}
            chooseLabel={`Choose a file for ${slot.label}`}
            removeLabel={`Remove ${slot.label}`}
          />
        </p>
        {filePicker.input}
      </div>
      {message ? (
        <p className="field__error" role="alert">
          {message}
        </p>
      ) : check.note ? (
        <p className="field__note" role="status">
          {check.note}
        </p>
      ) : null}
    </div>
  );
}

function ModePicker({ mode, onChange }: { mode: GuideMode; onChange: (mode: GuideMode) => void }) {
  const current = guideModeInfo(mode);
  const notes = unsureNotes(mode);
  return (
    <div className="field">
      <span className="field__label" id="guide-mode-label">
        Guide with
      </span>
      <div className="models" role="radiogroup" aria-labelledby="guide-mode-label">
        {GUIDE_MODES.map((info) => (
          <label
            key={info.mode}
            className={`model${info.mode === mode ? ' model--on' : ''}`}
            title={info.blurb}
          >
            <input
              type="radio"
              name="guide-mode"
              value={info.mode}
              checked={info.mode === mode}
              onChange={() => onChange(info.mode)}
            />
            <span className="model__name">{info.label}</span>
            <span className="model__cost">{formatCredits(creditCost(guideSpec(info.mode)))}</span>
          </label>
        ))}
      </div>
      <p className="field__note">{current.blurb}</p>
      {notes.length > 0 ? (
        <p className="field__note guide__unsure">
          Stability&apos;s documentation is not certain here: {notes.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** The mode picker and the mode's drop targets (two, swappable, for style transfer). */
export function GuideReferences() {
  const mode = useCreate((s) => s.form.guide.mode);
  const guide = useCreate((s) => s.form.guide);
  const setForm = useCreate((s) => s.setForm);
  const swap = useGuide((s) => s.swap);
  const info = guideModeInfo(mode);
  const two = info.slots.length > 1;

  // A pasted picture goes to the target that has the focus, else the first empty one.
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const data = event.clipboardData;
      const file = firstFile(data?.files) ?? firstItemFile(data?.items);
      if (!file) return;
      event.preventDefault();
      const focused = document.activeElement?.closest<HTMLElement>('[data-guide-field]');
      const slot = info.slots.find((s) => s.field === focused?.dataset.guideField);
      void useGuide.getState().takeFile(slot?.field ?? fieldForLoose(mode), file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [info, mode]);

  return (
    <>
      <ModePicker mode={mode} onChange={(next) => setForm({ guide: { ...guide, mode: next } })} />
      <div className={two ? 'references references--two' : 'references'}>
        {info.slots.map((slot, index) => (
          <Fragment key={slot.field}>
            {index === 1 ? (
              <button
                type="button"
                className="button references__swap"
                aria-label="Swap the two pictures"
                title="The picture to change becomes the style, and the style the picture to change"
                onClick={swap}
              >
                <span aria-hidden="true">⇅</span> Swap
              </button>
            ) : null}
            <ReferenceTarget mode={mode} slot={slot} order={two ? index + 1 : 0} />
          </Fragment>
        ))}
      </div>
    </>
  );
}

/** The sliders of the mode's endpoint, ranges and defaults from the table. */
export function GuideSliders() {
  const guide = useCreate((s) => s.form.guide);
  const setForm = useCreate((s) => s.setForm);
  return (
    <>
      {guideSliders(guide.mode).map((slider) => {
        const value = guideValue(guide, slider.param) ?? slider.default;
        return (
          <Slider
            key={slider.param}
            label={slider.label}
            value={value}
            min={slider.min}
            max={slider.max}
            step={0.01}
            left={slider.left}
            right={slider.right}
            {...(slider.param === 'control_strength' ? { words: controlWords(value) } : {})}
            onChange={(next) =>
              setForm({ guide: { ...guide, values: { ...guide.values, [slider.param]: next } } })
            }
          />
        );
      })}
    </>
  );
}
