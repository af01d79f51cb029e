import { useEffect, useState } from 'react';
import { AtelierError } from '../../../shared/api';
import { useSettings } from '../../state';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
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
      if (path === null) return;
      setDraft(path);
      void update({ libraryDir: path });
    } catch (failure) {
      setChooseError(
        failure instanceof AtelierError && failure.code === 'not_available'
          ? 'Choosing a folder needs the desktop app here; type the folder’s full path instead.'
          : messageOf(failure),
      );
    }
  }

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
          Pictures already saved stay where they are.
        </>
      }
      placeholder="Pictures/Atelier (the default)"
      saved={saved}
      draft={draft}
      setDraft={setDraft}
      save={(value) => void update({ libraryDir: value })}
      names={{ save: 'Save library folder', reset: 'Reset library folder' }}
      ownError={chooseError}
      onEdit={() => setChooseError(null)}
    >
      <button
        type="button"
        className="button"
        aria-label="Choose library folder"
        disabled={busy}
        onClick={() => void choose()}
      >
        Choose…
      </button>
    </TextSetting>
  );
}
