import { useEffect, useMemo, useState } from 'react';
import type { JobView, JobViewState } from '../../../shared/api';
import { useCompare } from '../../state/compare';
import { useCreate } from '../../state/create';
import { moreLikeThis, takesSeed } from '../../state/batch';
import { useLibraryBrowse } from '../../state/library-browse';
import { mediaUrl, thumbUrl } from '../../ui/library-media';
import { Icon } from '../../ui/Icon';
import { recipeLine } from '../../state/create-form';
import { CompareReferences } from './GuideCompare';

export const STATE_WORDS: Readonly<Record<JobViewState, string>> = {
  waiting: 'Waiting',
  preparing: 'Preparing',
  sending: 'Sending',
  generating: 'Making',
  saving: 'Saving',
  done: 'Done',
  filtered: 'Filtered',
  failed: 'Failed',
  'needs-attention': 'Needs attention',
  cancelled: 'Cancelled',
};

const ACTIVE: readonly JobViewState[] = ['waiting', 'preparing', 'sending', 'generating', 'saving'];

interface Batch {
  key: string;
  jobs: JobView[];
  createdAt: number;
}

/** Jobs grouped by the run that made them, newest run first. */
export function batchesOf(jobs: readonly JobView[]): Batch[] {
  const byKey = new Map<string, Batch>();
  for (const job of [...jobs].sort(
    (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
  )) {
    const key = job.batch ?? job.id;
    const batch = byKey.get(key);
    if (batch) batch.jobs.push(job);
    else byKey.set(key, { key, jobs: [job], createdAt: job.createdAt });
  }
  return [...byKey.values()].sort((a, b) => b.createdAt - a.createdAt);
}

/** "60 credits", "1 credit", "6.5 credits". */
export function creditsWords(credits: number): string {
  return `${credits} ${credits === 1 ? 'credit' : 'credits'}`;
}

/** The question under a job whose Retry costs again. */
function retryQuestion(job: JobView): string {
  const credits = creditsWords(job.retry?.credits ?? 0);
  return job.state === 'filtered' || job.error?.code === 'result_gone'
    ? `This was charged — send again? That costs ${credits} again.`
    : `It may have been charged — send again? That costs ${credits} again.`;
}

/**
 * Retry, worded by what it does: fetching a picture already paid for is free and needs no
 * confirmation; sending a job that was (or may have been) charged says it costs again and asks.
 */
function RetryButtons({
  job,
  confirming,
  setConfirming,
}: {
  job: JobView;
  confirming: boolean;
  setConfirming: (confirming: boolean) => void;
}) {
  const retry = useCreate((s) => s.retry);
  const kind = job.retry?.kind;
  if (!kind) return null;
  if (kind === 'resume') {
    return (
      <button
        type="button"
        className="chip-button"
        title="Fetches the picture Stability made for this job; that costs nothing"
        onClick={() => void retry(job.id)}
      >
        Retry
      </button>
    );
  }
  if (kind === 'free') {
    return (
      <button type="button" className="chip-button" onClick={() => void retry(job.id)}>
        Retry
      </button>
    );
  }
  const credits = creditsWords(job.retry?.credits ?? 0);
  if (!confirming) {
    return (
      <button
        type="button"
        className="chip-button"
        title={`Sending this job again costs ${credits} again`}
        onClick={() => setConfirming(true)}
      >
        Retry…
      </button>
    );
  }
  return (
    <>
      <button
        type="button"
        className="chip-button chip-button--warn"
        onClick={() => {
          setConfirming(false);
          void retry(job.id, true);
        }}
      >
        Send again
      </button>
      <button type="button" className="chip-button" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </>
  );
}

/** Tries for a thumbnail the library has not indexed yet: this many times, waiting longer each. */
const THUMB_TRIES = 6;

/**
 * A finished picture by its library thumbnail. The job says it is done once the file is saved; the
 * library indexes it a moment later (its watcher), so a first 404 is asked again, a little later.
 * Keyed by its address, so another picture starts counting anew.
 */
function ResultThumb({ src, alt }: { src: string; alt: string }) {
  const [attempt, setAttempt] = useState(0);
  const retry = () => {
    if (attempt + 1 >= THUMB_TRIES) return;
    setTimeout(() => setAttempt((n) => n + 1), 250 * 2 ** attempt);
  };
  const url = attempt === 0 ? src : `${src}${src.includes('?') ? '&' : '?'}try=${attempt}`;
  return <img src={url} alt={alt} onError={retry} />;
}

function JobCard({ job }: { job: JobView }) {
  const folder = useLibraryBrowse((s) => s.folder);
  const cancel = useCreate((s) => s.cancel);
  const remove = useCreate((s) => s.remove);
  const setForm = useCreate((s) => s.setForm);
  const takeLibraryPicture = useCreate((s) => s.takeLibraryPicture);
  const [confirming, setConfirming] = useState(false);
  const active = ACTIVE.includes(job.state);
  const result = job.result;

  useEffect(() => {
    if (result && !folder) void useLibraryBrowse.getState().loadFolder();
  }, [result, folder]);

  const ratio = result ? `${result.width} / ${result.height}` : aspectOf(job);
  const label = `${STATE_WORDS[job.state]}: ${typeof job.params.prompt === 'string' && job.params.prompt ? job.params.prompt : (job.inputName ?? 'image')}`;

  return (
    <article
      className={`job job--${job.state}`}
      aria-label={label}
      data-state={job.state}
      data-testid="job"
    >
      <div className="job__frame" style={{ aspectRatio: ratio }}>
        {result && folder ? (
          <ResultThumb
            key={result.id}
            src={thumbUrl(folder, result, 512)}
            alt={typeof job.params.prompt === 'string' ? job.params.prompt : 'Result'}
          />
        ) : active ? (
          <div className="job__pending" aria-hidden="true">
            <span className="job__spinner" />
          </div>
        ) : result ? (
          <div className="job__pending" aria-hidden="true" />
        ) : (
          <div className="job__problem">
            <Icon name={job.state === 'cancelled' ? 'info' : 'warning'} size={22} />
            <p>{problemText(job)}</p>
          </div>
        )}
        <span className={`job__state job__state--${job.state}`} role="status">
          {STATE_WORDS[job.state]}
        </span>
      </div>
      <div className="job__bar">
        {result ? (
          <span className="job__meta" title={`${result.libraryDir}/${result.path}`}>
            {result.width}×{result.height}
            {result.seed !== null ? ` · seed ${result.seed}` : ''}
          </span>
        ) : (
          <span className="job__meta">{job.inputName ?? ''}</span>
        )}
        <span className="job__actions">
          {active ? (
            <button type="button" className="chip-button" onClick={() => void cancel(job.id)}>
              Cancel
            </button>
          ) : null}
          <RetryButtons job={job} confirming={confirming} setConfirming={setConfirming} />
          {result ? (
            <>
              {result.seed !== null ? (
                <button
                  type="button"
                  className="chip-button"
                  title="Use this picture's seed for the next run"
                  onClick={() => setForm({ seedMode: 'fixed', seed: result.seed ?? 0 })}
                >
                  Use seed
                </button>
              ) : null}
              {takesSeed(job.endpoint) ? (
                <button
                  type="button"
                  className="chip-button"
                  title="The same recipe again, four times, each with a new seed"
                  onClick={() => void moreLikeThis(job.id)}
                >
                  More like this
                </button>
              ) : null}
              <button
                type="button"
                className="chip-button"
                title="Upscale this picture"
                onClick={() => {
                  setForm({
                    tab: 'upscale',
                    ...(typeof job.params.prompt === 'string' ? { prompt: job.params.prompt } : {}),
                  });
                  void takeLibraryPicture(result.id, folder ? mediaUrl(folder, result) : null);
                }}
              >
                Upscale
              </button>
              {job.kind === 'guide' ? (
                <CompareReferences job={job} resultId={result.id} />
              ) : job.kind !== 'text-to-image' ? (
                <button
                  type="button"
                  className="chip-button"
                  title="Compare this picture with the one it was made from"
                  onClick={() => void useCompare.getState().openResultWithInput(result.id)}
                >
                  Compare with original
                </button>
              ) : null}
            </>
          ) : null}
          {!active ? (
            <button
              type="button"
              className="chip-button chip-button--quiet"
              aria-label="Remove from the list"
              title="Remove from the list (the picture stays in the library)"
              onClick={() => void remove(job.id)}
            >
              ×
            </button>
          ) : null}
        </span>
      </div>
      {confirming ? (
        <p className="job__confirm" role="alert">
          {retryQuestion(job)}
        </p>
      ) : null}
    </article>
  );
}

function problemText(job: JobView): string {
  if (job.error) return job.error.message;
  if (job.state === 'cancelled') return 'Cancelled. Nothing more will be sent for it.';
  return 'This job did not finish.';
}

function aspectOf(job: JobView): string {
  const ratio = job.params.aspect_ratio;
  if (typeof ratio === 'string' && /^\d+:\d+$/.test(ratio)) return ratio.replace(':', ' / ');
  return '1 / 1';
}

function BatchView({ batch }: { batch: Batch }) {
  const first = batch.jobs[0];
  if (!first) return null;
  const prompt = typeof first.params.prompt === 'string' ? first.params.prompt : '';
  const title =
    first.kind === 'upscale'
      ? `Upscale of ${first.inputName ?? 'a picture'}`
      : prompt || (first.inputName ?? 'Untitled');
  const seed = batch.jobs.length === 1 ? first.result?.seed : undefined;
  const wide = batch.jobs.length === 1;
  return (
    <section className="batch" aria-label={title}>
      <header className="batch__head">
        <h2 className="batch__title" title={title}>
          {title}
        </h2>
        <p className="batch__recipe">
          {first.kind === 'image-to-image' && first.inputName ? `From ${first.inputName} · ` : ''}
          {recipeLine(first.endpoint, first.params, seed)}
          {typeof first.params.negative_prompt === 'string'
            ? ` · leaving out “${first.params.negative_prompt}”`
            : ''}
        </p>
      </header>
      <div className={`batch__grid${wide ? ' batch__grid--one' : ''}`}>
        {batch.jobs.map((job) => (
          <JobCard key={job.id} job={job} />
        ))}
      </div>
    </section>
  );
}

export function Results() {
  const jobs = useCreate((s) => s.jobs);
  const queue = useCreate((s) => s.queue);
  const batches = useMemo(() => batchesOf(Object.values(jobs)), [jobs]);
  const running = Object.values(jobs).filter((j) => ACTIVE.includes(j.state)).length;

  return (
    <div className="results">
      {queue?.message ? (
        <p className="results__notice" role="status">
          {queue.message}
        </p>
      ) : null}
      {running > 0 ? (
        <p className="results__status" role="status">
          {running === 1 ? '1 image on its way' : `${running} images on their way`}
        </p>
      ) : null}
      {batches.map((batch) => (
        <BatchView key={batch.key} batch={batch} />
      ))}
    </div>
  );
}
