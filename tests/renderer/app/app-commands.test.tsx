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
});
