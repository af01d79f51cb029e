import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { JobView } from '../../../shared/api';
import { recipeLine } from '../../state/create-form';
import {
  batchesOf,
  GROUP_TITLES,
  groupsOf,
  orderedJobs,
  QUEUE_GROUPS,
  timeLeftText,
  useQueue,
  type BatchProgress,
  type QueueGroup,
} from '../../state/queue';
import { creditsWords, STATE_WORDS } from '../create/Results';
import { QUEUE_BUTTON_ID, QUEUE_PANEL_ID } from './QueueButton';
import '../../styles/queue.css';

const TITLE_ID = 'queue-panel-title';
const DRAG_TYPE = 'application/x-atelier-job';

/** A job for people: its prompt, else its picture's name, else what it does. */
export function titleOf(job: JobView): string {
  const prompt = typeof job.params.prompt === 'string' ? job.params.prompt.trim() : '';
  const text = prompt || job.inputName || recipeLine(job.endpoint, {});
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

/** Re-renders every `ms` while `on`, so "time left" moves on its own. */
function useNow(on: boolean, ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [on, ms]);
  return now;
}

/**
 * The Queue panel: a drawer over the current place with every job by group, the queue-wide actions,
 * and progress per batch. Waiting jobs reorder by drag, by Alt+Up/Down on a focused job, or by their
 * Move up / Move down buttons. Escape (or the Queue button, or Ctrl/Cmd+J) closes it.
 */
export function QueuePanel() {
  const open = useQueue((s) => s.open);
  const jobs = useQueue((s) => s.jobs);
  const order = useQueue((s) => s.order);
  const queue = useQueue((s) => s.queue);
  const error = useQueue((s) => s.error);
  const notice = useQueue((s) => s.notice);
  const store = useQueue.getState();
  const title = useRef<HTMLHeadingElement>(null);
  const list = useMemo(() => orderedJobs(jobs, order), [jobs, order]);
  const groups = useMemo(() => groupsOf(list), [list]);
  const left = groups.running.length + groups.waiting.length;
  const now = useNow(open && left > 0, 10_000);
  const batches = useMemo(
    // `now` ticks so the time left follows the rate.
    () => batchesOf(list, now, titleOf),
    [list, now],
  );

  useEffect(() => {
    if (open) title.current?.focus();
  }, [open]);

  if (!open) return null;

  const close = () => {
    store.setOpen(false);
    document.getElementById(QUEUE_BUTTON_ID)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    }
  };
  const paused = queue?.paused === true;
  const retryable = groups.failed.filter((job) => job.retry?.kind !== 'costs-again').length;
  const summary =
    `${groups.running.length} running · ${groups.waiting.length} waiting` +
    (groups.decision.length > 0 ? ` · ${groups.decision.length} need your decision` : '');

  return (
    <section
      id={QUEUE_PANEL_ID}
      className="queue-panel"
      role="dialog"
      aria-labelledby={TITLE_ID}
      onKeyDown={onKeyDown}
    >
      <header className="queue-panel__header">
        <div>
          <h2 id={TITLE_ID} className="queue-panel__title" tabIndex={-1} ref={title}>
            Queue
          </h2>
          <p className="queue-panel__summary" aria-live="polite">
            {paused ? 'Paused · ' : ''}
            {summary}
          </p>
        </div>
        <button type="button" className="button button--small" onClick={close}>
          Close
        </button>
      </header>

      <div className="queue-panel__actions" role="toolbar" aria-label="Whole queue">
        {paused ? (
          <button
            type="button"
            className="button button--small button--primary"
            onClick={() => void store.resume()}
          >
            Resume all
          </button>
        ) : (
          <button type="button" className="button button--small" onClick={() => void store.pause()}>
            Pause all
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          disabled={groups.waiting.length === 0}
          onClick={() => void store.cancelWaiting()}
        >
          Cancel all waiting
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={retryable === 0}
          title="Sends again the failed jobs that cost nothing; jobs that may have been charged wait for your decision"
          onClick={() => void store.retryFailed()}
        >
          Retry failed{retryable > 0 ? ` (${retryable})` : ''}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={groups.finished.length === 0}
          title="Forgets the finished jobs; their pictures stay in the library"
          onClick={() => void store.clearFinished()}
        >
          Clear finished
        </button>
      </div>

      {paused ? (
        <p className="queue-panel__note" role="status">
          Paused: running jobs finish; nothing new starts until Resume all.
        </p>
      ) : null}
      {queue?.message ? <p className="queue-panel__note">{queue.message}</p> : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : notice ? (
        <p className="queue-panel__notice" role="status">
          {notice}
        </p>
      ) : null}

      <div className="queue-panel__body">
        {list.length === 0 ? (
          <p className="muted queue-panel__empty">
            No jobs. What you make in Create shows up here.
          </p>
        ) : null}
        {batches.length > 0 ? <Batches batches={batches} /> : null}
        {QUEUE_GROUPS.map((group) =>
          groups[group].length > 0 ? (
            <Group key={group} group={group} jobs={groups[group]} />
          ) : null,
        )}
      </div>
    </section>
  );
}

function Batches({ batches }: { batches: readonly BatchProgress[] }) {
  return (
    <section className="queue-group" aria-labelledby="queue-batches">
      <h3 id="queue-batches" className="queue-group__title">
        Batches
      </h3>
      <ul className="queue-batches">
        {batches.map((batch) => {
          const line = [
            `${batch.done} done`,
            `${batch.failed} failed`,
            `${batch.left} left`,
            timeLeftText(batch.msLeft),
          ]
            .filter(Boolean)
            .join(' · ');
          return (
            <li key={batch.batch} className="queue-batch" aria-label={`${batch.title}: ${line}`}>
              <div className="queue-batch__top">
                <span className="queue-batch__title">
                  {batch.total} × {batch.title}
                </span>
              </div>
              <progress
                className="queue-batch__bar"
                value={batch.done + batch.failed}
                max={batch.total}
                aria-hidden="true"
              />
              <span className="queue-batch__line" data-testid="batch-progress">
                {line}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Group({ group, jobs }: { group: QueueGroup; jobs: readonly JobView[] }) {
  const id = `queue-group-${group}`;
  const drag = useRef<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<{ id: string; after: boolean } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // After a keyboard move, the moved job keeps the focus in its new place.
  useEffect(() => {
    if (focusId === null) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-job-id="${focusId}"]`);
    if (row && document.activeElement !== row) row.focus();
  }, [focusId, jobs]);

  const store = useQueue.getState();
  const waiting = group === 'waiting';

  const step = (job: JobView, delta: -1 | 1) => {
    setFocusId(job.id);
    void store.step(job.id, delta);
  };
  const dropSide = (event: DragEvent<HTMLElement>): boolean => {
    const rect = event.currentTarget.getBoundingClientRect();
    return event.clientY > rect.top + rect.height / 2;
  };

  return (
    <section className="queue-group" aria-labelledby={id} data-group={group}>
      <h3 id={id} className="queue-group__title">
        {GROUP_TITLES[group]} <span className="queue-group__count">{jobs.length}</span>
      </h3>
      {group === 'decision' ? (
        <p className="queue-group__help">
          These may have been charged. Check your credits at platform.stability.ai; sending one
          again costs again.
        </p>
      ) : null}
      <ul className="queue-list" ref={listRef} aria-labelledby={id}>
        {jobs.map((job, index) => {
          const name = titleOf(job);
          const rowLabel = waiting ? `${index + 1}. ${name}` : name;
          return (
            <li
              key={job.id}
              className="queue-job"
              data-job-id={job.id}
              data-state={job.state}
              data-drop={dropAt?.id === job.id ? (dropAt.after ? 'after' : 'before') : undefined}
              aria-label={rowLabel}
              {...(waiting
                ? {
                    tabIndex: 0,
                    draggable: true,
                    'aria-keyshortcuts': 'Alt+ArrowUp Alt+ArrowDown',
                    onKeyDown: (event: KeyboardEvent<HTMLLIElement>) => {
                      if (!event.altKey || event.target !== event.currentTarget) return;
                      if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
                      event.preventDefault();
                      step(job, event.key === 'ArrowUp' ? -1 : 1);
                    },
                    onDragStart: (event: DragEvent<HTMLLIElement>) => {
                      drag.current = job.id;
                      event.dataTransfer.effectAllowed = 'move';
                      event.dataTransfer.setData(DRAG_TYPE, job.id);
                    },
                    onDragOver: (event: DragEvent<HTMLLIElement>) => {
                      if (drag.current === null) return;
                      event.preventDefault();
                      event.dataTransfer.dropEffect = 'move';
                      const after = dropSide(event);
                      if (dropAt?.id !== job.id || dropAt.after !== after) {
                        setDropAt({ id: job.id, after });
                      }
                    },
                    onDrop: (event: DragEvent<HTMLLIElement>) => {
                      const moving = drag.current;
                      event.preventDefault();
                      setDropAt(null);
                      if (moving === null || moving === job.id) return;
                      void store.move(
                        moving,
                        dropSide(event) ? { after: job.id } : { before: job.id },
                      );
                    },
                    onDragEnd: () => {
                      drag.current = null;
                      setDropAt(null);
                    },
                  }
                : {})}
            >
              {waiting ? (
                <span className="queue-job__grip" aria-hidden="true">
                  ⋮⋮
                </span>
              ) : null}
              <div className="queue-job__text">
                <span className="queue-job__title">{name}</span>
                <span className="queue-job__meta">
                  {STATE_WORDS[job.state]} · {recipeLine(job.endpoint, job.params)}
                </span>
                {job.error && group !== 'finished' ? (
                  <span className="queue-job__error">{job.error.message}</span>
                ) : null}
              </div>
              <div className="queue-job__actions">
                <JobActions
                  job={job}
                  group={group}
                  name={rowLabel}
                  first={index === 0}
                  last={index === jobs.length - 1}
                  step={step}
                />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A small button of a job's row, named with the job ("Cancel: 2. a red kite"). */
function RowButton({
  text,
  label,
  onClick,
  className = '',
  title,
  disabled = false,
}: {
  text: string;
  label?: string;
  onClick: () => void;
  className?: string;
  title?: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="button"
      className={`button button--small ${className}`}
      aria-label={label}
      title={title}
      disabled={disabled}
      onClick={onClick}
    >
      {text}
    </button>
  );
}

function JobActions({
  job,
  group,
  name,
  first,
  last,
  step,
}: {
  job: JobView;
  group: QueueGroup;
  name: string;
  first: boolean;
  last: boolean;
  step: (job: JobView, delta: -1 | 1) => void;
}) {
  const store = useQueue.getState();
  const remove = (
    <RowButton text="Remove" label={`Remove: ${name}`} onClick={() => void store.remove(job.id)} />
  );
  switch (group) {
    case 'running':
      return <RowButton text="Cancel" onClick={() => void store.cancel(job.id)} />;
    case 'waiting':
      return (
        <>
          <RowButton
            text="↑"
            className="queue-job__move"
            label={`Move up: ${name}`}
            title="Move up (Alt+Up)"
            disabled={first}
            onClick={() => step(job, -1)}
          />
          <RowButton
            text="↓"
            className="queue-job__move"
            label={`Move down: ${name}`}
            title="Move down (Alt+Down)"
            disabled={last}
            onClick={() => step(job, 1)}
          />
          <RowButton
            text="Cancel"
            label={`Cancel: ${name}`}
            onClick={() => void store.cancel(job.id)}
          />
        </>
      );
    case 'decision': {
      // Fetching a picture already paid for is free; anything else names its price, in one click.
      const resume = job.retry?.kind === 'resume';
      return (
        <>
          <RowButton
            text={
              resume
                ? 'Fetch again — free'
                : `Send again — ${creditsWords(job.retry?.credits ?? 0)}`
            }
            className={resume ? '' : 'button--warn'}
            onClick={() => void store.retry(job.id, !resume)}
          />
          {remove}
        </>
      );
    }
    case 'failed':
      return (
        <>
          <RowButton
            text="Retry"
            label={`Retry: ${name}`}
            onClick={() => void store.retry(job.id)}
          />
          {remove}
        </>
      );
    case 'finished':
      return null;
  }
}
