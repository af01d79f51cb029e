/**
 * Create's money words: Retry of a job whose picture was paid for fetches it without asking; Retry
 * of one that was charged says what it costs again and sends payAgain only after the person agrees;
 * a fixed seed over several images says each gets its own seed.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../shared/api';
import { Results } from '../../../renderer/features/create/Results';
import { CreateForm } from '../../../renderer/features/create/CreateForm';
import { INITIAL_FORM, seedRunText } from '../../../renderer/state/create-form';
import { setBridge } from '../../../renderer/state/bridge';
import { useCreate } from '../../../renderer/state/create';
import { FakeCore, WAITING_JOB } from '../fakes';

let core: FakeCore;

function show(job: JobView): void {
  useCreate.setState({ jobs: { [job.id]: job }, queue: null });
  render(<Results />);
}

beforeEach(() => {
  core = new FakeCore().handle('jobs.retry', ({ id }) => ({ ...WAITING_JOB, id }));
  setBridge(core);
});

afterEach(() => {
  cleanup();
  setBridge(null);
});

const base: JobView = {
  ...WAITING_JOB,
  kind: 'upscale',
  endpoint: 'upscale.creative',
  params: { prompt: 'lighthouse' },
  attempts: 1,
};

describe('Retry says what it costs', () => {
  it('fetching a picture already paid for is one click and sends no payAgain', async () => {
    show({
      ...base,
      state: 'needs-attention',
      mayHaveBeenCharged: true,
      error: { code: 'still_generating', message: 'Stability has not sent this picture yet.' },
      retry: { kind: 'resume', credits: 60 },
    });
    const button = screen.getByRole('button', { name: 'Retry' });
    expect(button.getAttribute('title')).toMatch(/costs nothing/);
    fireEvent.click(button);
    await screen.findByRole('article');
    expect(core.calls.at(-1)).toEqual({ call: 'jobs.retry', request: { id: 'j1' } });
  });

  it('a filtered picture: Retry… says it costs 60 credits again, and only Send again pays', async () => {
    show({
      ...base,
      state: 'filtered',
      error: { code: 'filtered', message: "Stability's content filter blurred this picture." },
      retry: { kind: 'costs-again', credits: 60 },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Retry…' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'This was charged — send again? That costs 60 credits again.',
    );
    expect(core.calls.filter((c) => c.call === 'jobs.retry')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Keep' }));
    expect(core.calls.filter((c) => c.call === 'jobs.retry')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Retry…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send again' }));
    await screen.findByRole('article');
    expect(core.calls.at(-1)).toEqual({
      call: 'jobs.retry',
      request: { id: 'j1', payAgain: true },
    });
  });

  it('a job that may have been charged says so, with the price', () => {
    show({
      ...base,
      endpoint: 'generate.core',
      state: 'needs-attention',
      mayHaveBeenCharged: true,
      retry: { kind: 'costs-again', credits: 3 },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Retry…' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'It may have been charged — send again? That costs 3 credits again.',
    );
  });
});

describe('a fixed seed over several images', () => {
  it('gives each image its own seed, and the form says which', () => {
    expect(seedRunText({ ...INITIAL_FORM, seedMode: 'fixed', seed: 42, count: 4 })).toBe(
      'The 4 images use seeds 42 to 45, one each.',
    );
    expect(seedRunText({ ...INITIAL_FORM, seedMode: 'fixed', seed: 42, count: 1 })).toBeUndefined();
    expect(seedRunText({ ...INITIAL_FORM, seedMode: 'random', count: 4 })).toBeUndefined();
    useCreate.setState({
      form: { ...INITIAL_FORM, seedMode: 'fixed', seed: 7, count: 3 },
      problems: {},
      runError: null,
      jobs: {},
    });
    render(<CreateForm />);
    expect(screen.getByText('The 3 images use seeds 7 to 9, one each.')).toBeTruthy();
  });
});
