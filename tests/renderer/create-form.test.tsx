/**
 * The Create form is read from the endpoint table: each model shows exactly its settings, the cost
 * on the button is the table's price times the count, the request holds only what the table lists,
 * and the rendered form follows the model picker. Ctrl+Enter runs.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ENDPOINTS,
  SD3_MODELS,
  creditCost,
  findParam,
  validateParams,
} from '../../shared/endpoints';
import {
  INITIAL_FORM,
  aspectShape,
  costOf,
  modelChoices,
  paramsOf,
  problemsOf,
  promptToPrefill,
  runLabel,
  strengthWords,
  targetOf,
  transformChoices,
  visibleParams,
  type FormState,
} from '../../renderer/state/create-form';
import { CreateForm } from '../../renderer/features/create/CreateForm';
import { isLibraryPath } from '../../renderer/features/create/DropZone';
import { useAccount } from '../../renderer/state/account';
import { setBridge } from '../../renderer/state/bridge';
import { useCreate } from '../../renderer/state/create';
import { FakeCore, WAITING_JOB } from './fakes';

const form = (patch: Partial<FormState>): FormState => ({ ...INITIAL_FORM, ...patch });
const image = { id: 'in1', name: 'a.png', width: 800, height: 600, bytes: 1000, format: 'png' };

describe('models from the table', () => {
  it('lists Core, every SD 3.5 model of the table, and Ultra', () => {
    const ids = modelChoices().map((c) => c.id);
    expect(ids).toEqual(['core', ...SD3_MODELS, 'ultra']);
    expect(modelChoices().map((c) => c.label)).toContain('SD 3.5 Large Turbo');
  });

  it('offers image-to-image only where the endpoint takes an image (SD 3.5 and Ultra)', () => {
    const ids = transformChoices().map((c) => c.id);
    expect(ids).not.toContain('core');
    expect(ids).toContain('ultra');
    expect(ids).toContain('sd3.5-large');
  });

  it('shows exactly the settings each model has', () => {
    expect(visibleParams(form({ model: 'core' })).sort()).toEqual(
      ['aspect_ratio', 'negative_prompt', 'output_format', 'prompt', 'seed', 'style_preset'].sort(),
    );
    const sd3 = visibleParams(form({ model: 'sd3.5-large' }));
    expect(sd3).toContain('cfg_scale');
    expect(sd3).not.toContain('strength');
    expect(visibleParams(form({ model: 'ultra' }))).not.toContain('cfg_scale');
    // Image-to-image: strength appears, SD 3.5 loses its aspect ratio (the image decides).
    const i2i = visibleParams(form({ tab: 'transform', model: 'sd3.5-medium' }));
    expect(i2i).toContain('strength');
    expect(i2i).not.toContain('aspect_ratio');
    // Upscalers: fast has no prompt; creative has creativity and a style.
    expect(visibleParams(form({ tab: 'upscale', upscaler: 'upscale.fast' }))).toEqual([
      'output_format',
    ]);
    const creative = visibleParams(form({ tab: 'upscale', upscaler: 'upscale.creative' }));
    expect(creative).toContain('creativity');
    expect(creative).toContain('style_preset');
  });

  it('every visible setting is a parameter of the endpoint in the table', () => {
    const tabs: Partial<FormState>[] = [
      ...modelChoices().map((c) => ({ model: c.id })),
      ...transformChoices().map((c) => ({ tab: 'transform' as const, model: c.id })),
      { tab: 'upscale', upscaler: 'upscale.fast' },
      { tab: 'upscale', upscaler: 'upscale.conservative' },
      { tab: 'upscale', upscaler: 'upscale.creative' },
    ];
    for (const patch of tabs) {
      const f = form(patch);
      const spec = ENDPOINTS[targetOf(f).endpoint];
      for (const name of visibleParams(f)) expect(findParam(spec, name)).toBeDefined();
    }
  });
});

describe('the request and its cost', () => {
  it('sends the model and only what applies, and the table accepts it', () => {
    const f = form({
      model: 'sd3.5-large-turbo',
      prompt: '  a fox  ',
      cfgScale: 2,
      seedMode: 'fixed',
      seed: 42,
      strength: 0.7,
    });
    const params = paramsOf(f);
    expect(params).toMatchObject({
      model: 'sd3.5-large-turbo',
      mode: 'text-to-image',
      prompt: 'a fox',
      cfg_scale: 2,
      seed: 42,
    });
    expect(params).not.toHaveProperty('strength');
    expect(validateParams(ENDPOINTS['generate.sd3'], params)).toEqual({});
    // Core has no cfg scale, model or mode.
    const core = paramsOf(form({ model: 'core', prompt: 'x', cfgScale: 3 }));
    expect(Object.keys(core).sort()).toEqual(['aspect_ratio', 'output_format', 'prompt']);
    // Random seed sends no seed at all.
    expect(paramsOf(form({ prompt: 'x' }))).not.toHaveProperty('seed');
  });

  it('costs the table price times the count, and says so on the button', () => {
    expect(costOf(form({ model: 'core', count: 4 }))).toBe(
      creditCost(ENDPOINTS['generate.core']) * 4,
    );
    expect(runLabel(form({ model: 'core', count: 4 }))).toBe('Make 4 images · 12 credits');
    expect(runLabel(form({ model: 'sd3.5-large', count: 1 }))).toBe('Make 1 image · 6.5 credits');
    expect(runLabel(form({ tab: 'upscale', upscaler: 'upscale.creative' }))).toBe(
      'Upscale · 60 credits',
    );
  });

  it('refuses a run without a prompt or without a picture, before anything is sent', () => {
    expect(problemsOf(form({ prompt: '' }), null)).toHaveProperty('prompt');
    expect(problemsOf(form({ prompt: 'x' }), null)).toEqual({});
    expect(
      problemsOf(form({ tab: 'transform', model: 'ultra', prompt: 'x' }), null),
    ).toHaveProperty('image');
    expect(problemsOf(form({ tab: 'transform', model: 'ultra', prompt: 'x' }), image)).toEqual({});
  });

  it('draws aspect ratios as shapes and explains strength in words', () => {
    expect(aspectShape('16:9', 32)).toEqual({ width: 32, height: 18 });
    expect(aspectShape('9:16', 32)).toEqual({ width: 18, height: 32 });
    expect(strengthWords(0.1)).toMatch(/Keeps almost all/);
    expect(strengthWords(0.95)).toMatch(/Follows the prompt/);
  });

  it("offers the picture's own prompt to Upscale, never over what the person typed", () => {
    const fox = { prompt: 'a fox in snow' };
    expect(promptToPrefill(form({ tab: 'upscale', prompt: '' }), fox, null)).toBe('a fox in snow');
    expect(promptToPrefill(form({ tab: 'upscale', prompt: '  ' }), fox, null)).toBe(
      'a fox in snow',
    );
    // The previous picture's prompt, untouched, gives way to the new picture's.
    expect(promptToPrefill(form({ tab: 'upscale', prompt: 'an owl' }), fox, 'an owl')).toBe(
      'a fox in snow',
    );
    expect(
      promptToPrefill(form({ tab: 'upscale', prompt: 'more grain' }), fox, 'an owl'),
    ).toBeNull();
    expect(promptToPrefill(form({ tab: 'transform', prompt: '' }), fox, null)).toBeNull();
    expect(promptToPrefill(form({ tab: 'upscale', prompt: '' }), {}, null)).toBeNull();
    expect(promptToPrefill(form({ tab: 'upscale', prompt: '' }), null, null)).toBeNull();
  });
});

describe('a picture dragged from the Library', () => {
  it('is taken only by a path inside the library folder', () => {
    expect(isLibraryPath('2026-11-30/01ABC-a-fox.png')).toBe(true);
    expect(isLibraryPath('')).toBe(false);
    expect(isLibraryPath('../secret.png')).toBe(false);
    expect(isLibraryPath('2026-11-30/../../etc/passwd')).toBe(false);
    expect(isLibraryPath('a\\..\\b.png')).toBe(false);
    expect(isLibraryPath('/etc/passwd')).toBe(false);
    expect(isLibraryPath('C:/Windows/win.ini')).toBe(false);
  });
});

describe('the input picture in the store', () => {
  const view = { id: 'i1', name: 'fox.png', width: 64, height: 64, bytes: 10, format: 'png' };

  afterEach(() => setBridge(null));

  it('prefills the Upscale prompt when the picture arrives, or when Upscale is chosen after', async () => {
    const core = new FakeCore().handle('inputs.fromLibrary', () => ({
      ...view,
      prompt: 'a fox in snow',
    }));
    setBridge(core);
    useCreate.setState({ form: { ...INITIAL_FORM, tab: 'upscale' }, input: null, prefilled: null });
    await useCreate.getState().takeLibraryPicture('01FOX');
    // By its id: the renderer never builds a path for the core.
    expect(core.calls).toEqual([{ call: 'inputs.fromLibrary', request: { id: '01FOX' } }]);
    expect(useCreate.getState().form.prompt).toBe('a fox in snow');

    useCreate.setState({
      form: { ...INITIAL_FORM, tab: 'transform' },
      input: null,
      prefilled: null,
    });
    await useCreate.getState().takeLibraryPicture('01FOX');
    expect(useCreate.getState().form.prompt).toBe('');
    useCreate.getState().setForm({ tab: 'upscale' });
    expect(useCreate.getState().form.prompt).toBe('a fox in snow');
    useCreate.getState().setForm({ prompt: 'crisper' });
    useCreate.getState().setForm({ tab: 'transform' });
    useCreate.getState().setForm({ tab: 'upscale' });
    expect(useCreate.getState().form.prompt).toBe('crisper');
  });
});

describe('the rendered form', () => {
  let core: FakeCore;
  const calls = () => core.calls;

  beforeEach(() => {
    core = new FakeCore().handle('jobs.add', () => ({ jobs: [WAITING_JOB] }));
    setBridge(core);
    useCreate.setState({ form: INITIAL_FORM, problems: {}, runError: null, jobs: {} });
  });

  afterEach(() => {
    cleanup();
    setBridge(null);
  });

  it('follows the model picker and runs with Ctrl+Enter', async () => {
    render(<CreateForm />);
    expect(screen.queryByLabelText('Prompt strictness')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: /SD 3.5 Large Turbo/ }));
    expect(screen.getByLabelText('Prompt strictness')).toHaveProperty('value', '1');
    fireEvent.click(screen.getByRole('radio', { name: /Stable Image Core/ }));
    expect(screen.queryByLabelText('Prompt strictness')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'More images' }));
    expect(screen.getByRole('button', { name: /Make 2 images · 6 credits/ })).toBeTruthy();

    const prompt = screen.getByRole('textbox', { name: 'Prompt' });
    fireEvent.keyDown(prompt, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', 'Required.');
    expect(calls()).toHaveLength(0);

    fireEvent.change(prompt, { target: { value: 'a fox in snow' } });
    fireEvent.keyDown(prompt, { key: 'Enter', ctrlKey: true });
    await screen.findByRole('button', { name: /Make 2 images/ });
    expect(calls()[0]).toEqual({
      call: 'jobs.add',
      request: {
        kind: 'text-to-image',
        endpoint: 'generate.core',
        params: { prompt: 'a fox in snow', aspect_ratio: '1:1', output_format: 'png' },
        count: 2,
      },
    });
  });

  it('asks first when a run costs more than the known balance, and sends nothing on No', async () => {
    useAccount.setState({ credits: 5 });
    const asked: string[] = [];
    const confirm = vi.spyOn(window, 'confirm').mockImplementation((question) => {
      asked.push(String(question));
      return false;
    });
    try {
      render(<CreateForm />);
      fireEvent.click(screen.getByRole('button', { name: 'More images' }));
      fireEvent.change(screen.getByRole('textbox', { name: 'Prompt' }), {
        target: { value: 'a fox in snow' },
      });
      fireEvent.click(screen.getByRole('button', { name: /Make 2 images · 6 credits/ }));
      await vi.waitFor(() => expect(asked).toHaveLength(1));
      expect(asked[0]).toMatch(/costs 6 credits .* balance is 5 credits/);
      await vi.waitFor(() => expect(useCreate.getState().running).toBe(false));
      expect(calls()).toHaveLength(0);

      confirm.mockImplementation(() => true);
      fireEvent.click(screen.getByRole('button', { name: /Make 2 images · 6 credits/ }));
      await vi.waitFor(() => expect(calls()).toHaveLength(1));
    } finally {
      confirm.mockRestore();
      useAccount.setState({ credits: null });
    }
  });
});
