import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppCommand, LibraryItem } from '../../../shared/api';
import { useAppCommands } from '../../../renderer/app/useAppCommands';
import { INITIAL_FORM } from '../../../renderer/state/create-form';
import { setBridge } from '../../../renderer/state/bridge';
import { useCreate } from '../../../renderer/state/create';
import { useNavigation } from '../../../renderer/state/navigation';
import { FakeCore, WAITING_JOB } from '../fakes';

let core: FakeCore;
const send = (payload: { command: AppCommand }) => core.emit('app.command', payload);
const calls = () => core.calls.map(({ call, request }) => [call, request] as const);

function Probe() {
  useAppCommands();
  return null;
}

beforeEach(() => {
  core = new FakeCore().handle('jobs.add', () => ({ jobs: [WAITING_JOB] }));
  setBridge(core);
  useNavigation.setState({ place: 'library', focusRequest: 0 });
  useCreate.setState({
    form: { ...INITIAL_FORM, prompt: 'an old prompt' },
    running: false,
    jobs: {},
  });
});

afterEach(() => {
  cleanup();
  setBridge(null);
});

describe('menu commands', () => {
  it('New Generation opens Create with an empty prompt', () => {
    render(<Probe />);
    act(() => send({ command: 'new-generation' }));
    expect(useNavigation.getState().place).toBe('create');
    expect(useCreate.getState().form.prompt).toBe('');
    expect(calls()).toEqual([]);
  });

  it('Run runs the Create form as it is', async () => {
    render(<Probe />);
    act(() => send({ command: 'run' }));
    expect(useNavigation.getState().place).toBe('create');
    await vi.waitFor(() => expect(calls()).toHaveLength(1));
    expect(calls()[0]).toMatchObject(['jobs.add', { params: { prompt: 'an old prompt' } }]);
  });

  it('Go to Compare moves there', () => {
    render(<Probe />);
    act(() => send({ command: 'go-compare' }));
    expect(useNavigation.getState().place).toBe('compare');
  });

  it('an image opened with Atelier lands in the Library and is offered to Create', async () => {
    core.handle('library.import', ({ input }) =>
      imported(input === 'in1' ? 'cat.png' : 'dog.webp'),
    );
    const staged = (id: string, name: string) => ({
      id,
      name,
      width: 640,
      height: 480,
      bytes: 1000,
      format: 'png',
    });
    render(<Probe />);
    // The main process staged them: the page gets their views, never their paths.
    act(() =>
      core.emit('app.openFiles', {
        inputs: [staged('in1', 'cat.png'), staged('in2', 'dog.webp')],
      }),
    );
    await vi.waitFor(() => expect(useCreate.getState().input?.name).toBe('cat.png'));
    expect(calls()).toEqual([
      ['library.import', { input: 'in1' }],
      ['library.import', { input: 'in2' }],
    ]);
    expect(useNavigation.getState().place).toBe('create');
    expect(useCreate.getState().form.tab).toBe('transform');
  });
});

/** The library entry of a picture imported as `name`. */
function imported(name: string): LibraryItem {
  return {
    id: `ID-${name}`,
    path: `2026-11-30/${name}`,
    operation: 'import',
    endpoint: null,
    model: null,
    prompt: '',
    negativePrompt: '',
    seed: null,
    createdAt: '2026-11-30T12:00:00.000Z',
    createdMs: Date.UTC(2026, 10, 30, 12),
    format: name.endsWith('.webp') ? 'webp' : 'png',
    width: 640,
    height: 480,
    bytes: 1000,
    sha256: '0123456789abcdef0123',
    favourite: false,
    sandbox: false,
    credits: null,
    rating: 0,
  };
}
