import { useEffect, useRef } from 'react';
import '../../styles/batch.css';
import { BATCH_SKIP_WORDS, type BatchSummary } from '../../../shared/api';
import { useBatch } from '../../state/batch';
import { formatCredits } from '../../state/create-form';

function pictures(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'picture' : 'pictures'}`;
}

function files(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'file' : 'files'}`;
}

/** The sentence about money: the cost against the balance, when it is known. */
export function costLine(summary: BatchSummary): string {
  const cost = `This costs ${formatCredits(summary.credits)}`;
  if (summary.balance === null) return `${cost}.`;
  const balance = `your balance is ${formatCredits(summary.balance)}`;
  return summary.balance < summary.credits
    ? `${cost}, more than your balance (${formatCredits(summary.balance)}): some pictures will fail for lack of credits.`
    : `${cost}; ${balance}.`;
}

/**
 * The summary before anything runs: how many pictures go, which files are skipped and why, and the
 * cost against the balance; one button sends them all. Rendered once by each place that gathers
 * batches (it shows itself while a summary waits).
 */
export function BatchSummaryDialog() {
  const phase = useBatch((s) => s.phase);
  const summary = useBatch((s) => s.summary);
  const error = useBatch((s) => s.error);
  const confirm = useBatch((s) => s.confirm);
  const discard = useBatch((s) => s.discard);
  const dialog = useRef<HTMLDialogElement>(null);
  const open = summary !== null && (phase === 'summary' || phase === 'starting');

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const shown = summary?.skippedFiles ?? [];
  return (
    <dialog
      ref={dialog}
      className="batch-summary"
      aria-labelledby="batch-summary-title"
      aria-describedby="batch-summary-count"
      onCancel={(event) => {
        event.preventDefault();
        void discard();
      }}
    >
      {summary ? (
        <>
          <h2 id="batch-summary-title" className="batch-summary__title">
            {summary.count > 0
              ? `Send ${pictures(summary.count)} to ${summary.endpoint}?`
              : 'Nothing to send'}
          </h2>
          <p id="batch-summary-count" className="batch-summary__count">
            From “{summary.name}”: <strong>{pictures(summary.count)}</strong> will be sent
            {summary.skipped > 0 ? `, ${files(summary.skipped)} skipped` : ''}.
          </p>
          {summary.skipped > 0 ? (
            <div className="batch-summary__skipped">
              <h3 id="batch-skipped-title">Skipped</h3>
              <ul aria-labelledby="batch-skipped-title">
                {shown.map((skip) => (
                  <li key={skip.relative}>
                    <span className="batch-summary__file">{skip.relative}</span>
                    <span className="muted"> — {BATCH_SKIP_WORDS[skip.reason]}</span>
                  </li>
                ))}
              </ul>
              {summary.skipped > shown.length ? (
                <p className="muted">and {files(summary.skipped - shown.length)} more.</p>
              ) : null}
            </div>
          ) : null}
          {summary.count > 0 ? (
            <>
              <p className="batch-summary__cost">{costLine(summary)}</p>
              <p className="muted">
                Results go to {summary.folder} in your library, keeping the folder’s subfolders.
              </p>
            </>
          ) : null}
          {error ? (
            <p className="field__error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="batch-summary__actions">
            <button type="button" className="button" onClick={() => void discard()}>
              {summary.count > 0 ? 'Cancel' : 'Close'}
            </button>
            {summary.count > 0 ? (
              <button
                type="button"
                className="button button--primary"
                disabled={phase === 'starting'}
                onClick={() => void confirm()}
              >
                Send {pictures(summary.count)} · {formatCredits(summary.credits)}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </dialog>
  );
}
