import { useEffect, useState, type SyntheticEvent } from 'react';
import { AtelierError } from '../../../shared/api';
import { useSettings } from '../../state';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { errorSentence } from './SettingsPlace';
import { SettingRow } from './SettingRow';

/**
 * Where pictures are saved: the folder in force, a path to type (or "Choose…" in the desktop app),
 * and Reset to the default (Pictures/Atelier). Pictures already saved stay where they are.
 */
export function LibraryFolder({ saved }: { saved: string | null }) {
  const settingError = errorSentence(
    'The library folder',
    useSettings((s) => s.errors.libraryDir),
  );
  const busy = useSettings((s) => s.saving.libraryDir === true);
  const update = useSettings((s) => s.update);
  const clearError = useSettings((s) => s.clearError);
  const [draft, setDraft] = useState(saved ?? '');
  const [inForce, setInForce] = useState<string | null>(null);
  const [chooseError, setChooseError] = useState<string | null>(null);
  const value = draft.trim();
  const unchanged = value === (saved ?? '');
  const error = settingError ?? chooseError ?? undefined;

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

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    void update({ libraryDir: value === '' ? null : value });
  }

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
    <SettingRow
      id="library-folder"
      wide
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
      error={error}
    >
      <form className="inline-form" onSubmit={onSubmit}>
        <input
          className="text-input mono"
          type="text"
          spellCheck={false}
          autoComplete="off"
          aria-labelledby="library-folder-label"
          aria-describedby={
            error ? 'library-folder-error library-folder-description' : 'library-folder-description'
          }
          aria-invalid={error ? true : undefined}
          placeholder="Pictures/Atelier (the default)"
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            setChooseError(null);
            if (settingError) clearError('libraryDir');
          }}
        />
        <button
          type="submit"
          className="button button--primary"
          aria-label="Save library folder"
          disabled={busy || unchanged}
        >
          Save
        </button>
        <button
          type="button"
          className="button"
          aria-label="Choose library folder"
          disabled={busy}
          onClick={() => void choose()}
        >
          Choose…
        </button>
        <button
          type="button"
          className="button"
          aria-label="Reset library folder"
          disabled={busy || (saved === null && draft === '')}
          onClick={() => {
            setDraft('');
            void update({ libraryDir: null });
          }}
        >
          Reset
        </button>
      </form>
    </SettingRow>
  );
}
