import { useEffect, useState } from 'react';
import { AtelierError } from '../../../shared/api';
import { useSettings } from '../../state';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { useLibraryMove } from '../../state/library-move';
import { TextSetting } from './TextSetting';

/**
 * Where pictures are saved: the folder in force, a path to type (or "Choose…" in the desktop app),
 * and Reset to the default (Pictures/Atelier). Pictures already saved stay where they are.
 */
export function LibraryFolder({ saved }: { saved: string | null }) {
  const busy = useSettings((s) => s.saving.libraryDir === true);
  const update = useSettings((s) => s.update);
  const [draft, setDraft] = useState(saved ?? '');
  const [inForce, setInForce] = useState<string | null>(null);
  const [chooseError, setChooseError] = useState<string | null>(null);
  const moving = useLibraryMove((s) => s.progress);
  const moved = useLibraryMove((s) => s.outcome);
  const moveError = useLibraryMove((s) => s.error);
  const target = draft.trim();

  // The folder in force (the default when none is chosen; the browser shell's --library wins).
  useEffect(() => {
    let live = true;
    getBridge()
      .invoke('library.folder', {})
      .then((folder) => live && setInForce(folder.dir))
      .catch(() => live && setInForce(null));
    return () => {
      live = false;
    };
  }, [saved]);

  async function choose() {
    setChooseError(null);
    try {
      const { path } = await getBridge().invoke('dialog.chooseFolder', {
        title: 'Choose the library folder',
      });
      // Into the field: Save uses it for new pictures, Move takes the pictures there too.
      if (path !== null) setDraft(path);
    } catch (failure) {
      setChooseError(
        failure instanceof AtelierError && failure.code === 'not_available'
          ? 'Choosing a folder needs the desktop app here; type the folder’s full path instead.'
          : messageOf(failure),
      );
    }
  }

  function move() {
    const question =
      `Move every picture of your library from ${inForce ?? 'the library folder'} to ${target}? ` +
      'The new folder then is your library folder. Pictures are moved, not copied.';
    if (!window.confirm(question)) return;
    setChooseError(null);
    void useLibraryMove.getState().move(target);
  }

  const status = moving ? (
    <p className="setting__status" role="status">
      {moving.total > 0
        ? `Moving pictures: ${moving.done.toLocaleString()} of ${moving.total.toLocaleString()} files…`
        : 'Moving pictures…'}
    </p>
  ) : moved ? (
    <p className="setting__status" role="status">
      {moved}
    </p>
  ) : null;

  return (
    <TextSetting
      id="library-folder"
      setting="libraryDir"
      subject="The library folder"
      label="Library folder"
      description={
        <>
          Where every picture is saved, with its recipe beside it.
          {inForce ? (
            <>
              {' '}
              Now: <span className="mono">{inForce}</span>.
            </>
          ) : null}{' '}
          Save uses another folder for new pictures; Move takes the pictures already saved there
          too.
        </>
      }
      placeholder="Pictures/Atelier (the default)"
      saved={saved}
      draft={draft}
      setDraft={setDraft}
      save={(value) => void update({ libraryDir: value })}
      names={{ save: 'Save library folder', reset: 'Reset library folder' }}
      ownError={chooseError ?? moveError}
      onEdit={() => {
        setChooseError(null);
        useLibraryMove.getState().clear();
      }}
      disabled={moving !== null}
      status={status}
    >
      <button
        type="button"
        className="button"
        aria-label="Choose library folder"
        disabled={busy || moving !== null}
        onClick={() => void choose()}
      >
        Choose…
      </button>
      <button
        type="button"
        className="button"
        aria-label="Move the library to this folder"
        disabled={busy || moving !== null || target === '' || target === inForce}
        onClick={move}
      >
        Move pictures here
      </button>
    </TextSetting>
  );
}
