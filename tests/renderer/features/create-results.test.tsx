/**
 * Create's results show the library's own thumbnail of each finished picture (the media the grid
 * uses), asked again when the library has not indexed the new file yet; no base64 preview call.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../shared/api';
import { Results } from '../../../renderer/features/create/Results';
import { setBridge } from '../../../renderer/state/bridge';
import { useCreate } from '../../../renderer/state/create';
import { useLibraryBrowse } from '../../../renderer/state/library-browse';
import { FakeCore, WAITING_JOB } from '../fakes';

let core: FakeCore;

const done: JobView = {
  ...WAITING_JOB,
  params: { prompt: 'a lighthouse' },
  state: 'done',
  attempts: 1,
  result: {
    id: 'ENTRY42',
    path: '2026-12-04/lighthouse.png',
    width: 1024,
    height: 1024,
    seed: 7,
    format: 'png',
    libraryDir: '/lib',
  },
};

beforeEach(() => {
  core = new FakeCore().handle('library.folder', () => ({
    dir: '/lib',
    isDefault: false,
    mediaBase: 'atelier-media://library',
    canReveal: true,
  }));
  setBridge(core);
  useLibraryBrowse.setState({ folder: null });
});

afterEach(() => {
  cleanup();
  setBridge(null);
});

describe("Create's results", () => {
  it("show a finished picture by the library's thumbnail of its entry", async () => {
    useCreate.setState({ jobs: { [done.id]: done }, queue: null });
    render(<Results />);
    const image = await screen.findByRole('img', { name: 'a lighthouse' });
    expect(image.getAttribute('src')).toBe('atelier-media://library/thumb/ENTRY42/512');
    expect(core.calls.map((c) => c.call)).toEqual(['library.folder']);
  });

  it('ask for a thumbnail again while the library has not indexed the picture yet', async () => {
    useCreate.setState({ jobs: { [done.id]: done }, queue: null });
    render(<Results />);
    const image = await screen.findByRole('img', { name: 'a lighthouse' });
    fireEvent.error(image);
    await waitFor(() =>
      expect(screen.getByRole('img', { name: 'a lighthouse' }).getAttribute('src')).toBe(
        'atelier-media://library/thumb/ENTRY42/512?try=1',
      ),
    );
  });
});
