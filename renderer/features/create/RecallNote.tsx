/** What "Reuse settings" could not bring back, said above the form (see state/recall-note). */
import { useRecallNote } from '../../state/recall-note';

export function RecallNote() {
  const note = useRecallNote((s) => s.note);
  if (!note) return null;
  return (
    <div className="recall-note" role="status">
      <span>{note}</span>
      <button
        type="button"
        className="button button--small"
        aria-label="Dismiss the note on reused settings"
        onClick={() => useRecallNote.getState().setNote(null)}
      >
        Dismiss
      </button>
    </div>
  );
}
