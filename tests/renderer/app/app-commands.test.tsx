import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppCommand, JobView } from '../../../shared/api';
import { useAppCommands } from '../../../renderer/app/useAppCommands';
import { INITIAL_FORM } from '../../../renderer/features/create/form';
import { setBridge } from '../../../renderer/state/bridge';
import { useCreate } from '../../../renderer/state/create';
import { useNavigation } from '../../../renderer/state/navigation';
import type { RendererBridge } from '../../../renderer/transport';

let listeners: ((payload: { command: AppCommand }) => void)[] = [];
let openFiles: ((payload: { paths: string[] }) => void) | null = null;
const send = (payload: { command: AppCommand }) => {
  for (const listener of listeners) listener(payload);
};
const invoke = vi.fn();

function Probe() {
  useAppCommands();
  return null;
}

beforeEach(() => {
  listeners = [];
  openFiles = null;
  invoke.mockReset();
  const job: JobView = {
    id: 'j1',
    kind: 'text-to-image',
    endpoint: 'generate.core',
    params: {},
    createdAt: 1,
    updatedAt: 1,
    state: 'waiting',
    attempts: 0,
    mayHaveBeenCharged: false,
  };
  invoke.mockResolvedValue({ jobs: [job] });
  setBridge({
    invoke,
    on: (event: string, listener: (payload: { command: AppCommand }) => void) => {
      if (event === 'app.command') listeners.push(listener);
      if (event === 'app.openFiles') openFiles = listener as unknown as typeof openFiles;
      return () => undefined;
    },
  } as unknown as RendererBridge);
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
    expect(invoke).not.toHaveBeenCalled();
  });

  it('Run runs the Create form as it is', async () => {
    render(<Probe />);
    act(() => send({ command: 'run' }));
    expect(useNavigation.getState().place).toBe('create');
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledTimes(1));
    const [call, request] = invoke.mock.calls[0] as [string, { params: { prompt?: string } }];
    expect(call).toBe('jobs.add');
    expect(request.params.prompt).toBe('an old prompt');
  });

  it('Go to Compare moves there', () => {
    render(<Probe />);
    act(() => send({ command: 'go-compare' }));
    expect(useNavigation.getState().place).toBe('compare');
  });

  it('an image opened with Atelier lands in the Library and is offered to Create', async () => {
    invoke.mockImplementation((call: string) =>
      Promise.resolve(
        call === 'inputs.fromPath'
          ? { id: 'in1', name: 'cat.png', width: 640, height: 480, bytes: 1000, format: 'png' }
          : {},
      ),
    );
    render(<Probe />);
    act(() => openFiles?.({ paths: ['/home/ann/cat.png', '/home/ann/dog.webp'] }));
    await vi.waitFor(() => expect(useCreate.getState().input?.name).toBe('cat.png'));
    expect(invoke.mock.calls.map(([call, request]) => [call, request] as unknown)).toEqual([
      ['library.import', { path: '/home/ann/cat.png' }],
      ['library.import', { path: '/home/ann/dog.webp' }],
      ['inputs.fromPath', { path: '/home/ann/cat.png' }],
    ]);
    expect(useNavigation.getState().place).toBe('create');
    expect(useCreate.getState().form.tab).toBe('transform');
  });
});
