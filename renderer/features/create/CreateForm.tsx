import type { KeyboardEvent } from 'react';
import { RecallNote } from './RecallNote';
import { SEED_MAX, creditCost, ENDPOINTS } from '../../../shared/endpoints';
import { usesCommandKey } from '../../app/platform';
import { useCreate } from '../../state/create';
import { Segmented } from '../../ui/Segmented';
import { DropZone } from './DropZone';
import { Field, Slider } from './fields';
import { GuideReferences, GuideSliders } from './GuideForm';
import {
  UPSCALERS,
  aspectChoices,
  aspectShape,
  choiceOf,
  formatChoices,
  formatCredits,
  modelChoices,
  numberDefault,
  paramOf,
  runLabel,
  seedRunText,
  strengthWords,
  styleChoices,
  transformChoices,
  visibleParams,
  type FormState,
} from '../../state/create-form';

function ModelPicker({ form, set }: { form: FormState; set: (p: Partial<FormState>) => void }) {
  const list = form.tab === 'transform' ? transformChoices() : modelChoices();
  const current = choiceOf(form);
  return (
    <div className="field">
      <span className="field__label" id="model-label">
        Model
      </span>
      <div className="models" role="radiogroup" aria-labelledby="model-label">
        {list.map((choice) => {
          const cost = creditCost(
            ENDPOINTS[choice.endpoint],
            choice.model ? { model: choice.model } : {},
          );
          return (
            <label
              key={choice.id}
              className={`model${choice.id === current.id ? ' model--on' : ''}`}
              title={choice.blurb}
            >
              <input
                type="radio"
                name="model"
                value={choice.id}
                checked={choice.id === current.id}
                onChange={() => set({ model: choice.id, cfgScale: null })}
              />
              <span className="model__name">{choice.label}</span>
              <span className="model__cost">{formatCredits(cost)}</span>
            </label>
          );
        })}
      </div>
      <p className="field__note">{current.blurb}</p>
    </div>
  );
}

function AspectPicker({ form, set }: { form: FormState; set: (p: Partial<FormState>) => void }) {
  return (
    <div className="field">
      <span className="field__label" id="aspect-label">
        Shape
      </span>
      <div className="aspects" role="radiogroup" aria-labelledby="aspect-label">
        {aspectChoices().map(({ value, label }) => {
          const shape = aspectShape(value, 20);
          return (
            <label
              key={value}
              className={`aspect${value === form.aspectRatio ? ' aspect--on' : ''}`}
              title={label}
            >
              <input
                type="radio"
                name="aspect"
                value={value}
                aria-label={label}
                checked={value === form.aspectRatio}
                onChange={() => set({ aspectRatio: value })}
              />
              <span className="aspect__box" aria-hidden="true">
                <span style={{ width: shape.width, height: shape.height }} />
              </span>
              <span className="aspect__ratio" aria-hidden="true">
                {value}
              </span>
            </label>
          );
        })}
      </div>
    </div>
  );
}

function UpscalerPicker({ form, set }: { form: FormState; set: (p: Partial<FormState>) => void }) {
  return (
    <div className="field">
      <span className="field__label" id="upscaler-label">
        Upscaler
      </span>
      <div className="upscalers" role="radiogroup" aria-labelledby="upscaler-label">
        {UPSCALERS.map((u) => (
          <label
            key={u.endpoint}
            className={`upscaler${u.endpoint === form.upscaler ? ' upscaler--on' : ''}`}
          >
            <input
              type="radio"
              name="upscaler"
              value={u.endpoint}
              aria-label={u.label}
              aria-describedby={`upscaler-${u.endpoint}`}
              checked={u.endpoint === form.upscaler}
              onChange={() => set({ upscaler: u.endpoint, creativity: null })}
            />
            <span className="upscaler__head">
              <span className="upscaler__name">{u.label}</span>
              <span className="upscaler__cost">
                {formatCredits(creditCost(ENDPOINTS[u.endpoint]))}
              </span>
            </span>
            <span className="upscaler__blurb" id={`upscaler-${u.endpoint}`}>
              {u.blurb}
            </span>
          </label>
        ))}
      </div>
    </div>
  );
}

export function CreateForm() {
  const form = useCreate((s) => s.form);
  const set = useCreate((s) => s.setForm);
  const problems = useCreate((s) => s.problems);
  const runError = useCreate((s) => s.runError);
  const running = useCreate((s) => s.running);
  const run = useCreate((s) => s.run);
  const visible = new Set(visibleParams(form));
  const promptParam = paramOf(form, 'prompt');
  const promptRequired = promptParam?.required === true;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void run();
    }
  };

  const cfgDefault = numberDefault(form, 'cfg_scale') ?? 4;
  const cfg = paramOf(form, 'cfg_scale');
  const creativityParam = paramOf(form, 'creativity');
  const creativityDefault = numberDefault(form, 'creativity') ?? 0.3;
  const shortcut = usesCommandKey() ? '⌘↩' : 'Ctrl+Enter';

  return (
    <form
      className="create-form"
      aria-label="What to make"
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
      noValidate
    >
      <div className="create-form__scroll">
        <RecallNote />
        {form.tab === 'guide' ? <GuideReferences /> : null}
        {form.tab !== 'generate' && form.tab !== 'guide' ? (
          <DropZone
            label={form.tab === 'upscale' ? 'Picture to upscale' : 'Starting picture'}
            error={problems.image}
          />
        ) : null}
        {form.tab === 'upscale' ? (
          <UpscalerPicker form={form} set={set} />
        ) : form.tab === 'guide' ? null : (
          <ModelPicker form={form} set={set} />
        )}

        {visible.has('prompt') ? (
          <Field
            label={promptRequired ? 'Prompt' : 'Prompt (optional)'}
            htmlFor="prompt"
            hint={form.prompt.length > 0 ? form.prompt.length.toLocaleString('en-US') : ''}
            error={problems.prompt}
          >
            <textarea
              id="prompt"
              className="prompt"
              rows={form.tab === 'generate' ? 5 : 3}
              placeholder={
                form.tab === 'upscale'
                  ? 'Describe the picture, e.g. “a misty harbour at dawn, oil painting”'
                  : 'Describe what you want to see, e.g. “a lighthouse at dusk, warm light, watercolour”'
              }
              value={form.prompt}
              onChange={(event) => set({ prompt: event.target.value })}
            />
          </Field>
        ) : null}

        {visible.has('strength') ? (
          <Slider
            label="Strength"
            value={form.strength}
            min={0}
            max={1}
            step={0.01}
            left="Keep more of your image"
            right="Follow the prompt more"
            words={strengthWords(form.strength)}
            onChange={(strength) => set({ strength })}
          />
        ) : null}

        {form.tab === 'guide' ? <GuideSliders /> : null}

        {visible.has('creativity') && creativityParam ? (
          <Slider
            label="Creativity"
            value={form.creativity ?? creativityDefault}
            min={creativityParam.min ?? 0}
            max={creativityParam.max ?? 1}
            step={0.01}
            left="Stay faithful"
            right="Invent more detail"
            onChange={(creativity) => set({ creativity })}
          />
        ) : null}

        {visible.has('aspect_ratio') ? <AspectPicker form={form} set={set} /> : null}

        {visible.has('negative_prompt') ? (
          <Field label="Leave out" htmlFor="negative" hint="optional">
            <textarea
              id="negative"
              className="prompt prompt--small"
              rows={2}
              placeholder="What you do not want to see, e.g. “text, blur, extra fingers”"
              value={form.negativePrompt}
              onChange={(event) => set({ negativePrompt: event.target.value })}
            />
          </Field>
        ) : null}

        {visible.has('style_preset') ? (
          <Field label="Style" htmlFor="style">
            <select
              id="style"
              className="select"
              value={form.stylePreset}
              onChange={(event) =>
                set({ stylePreset: event.target.value as FormState['stylePreset'] })
              }
            >
              {styleChoices(form).map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        ) : null}

        {visible.has('cfg_scale') && cfg ? (
          <Slider
            label="Prompt strictness"
            value={form.cfgScale ?? cfgDefault}
            min={cfg.min ?? 1}
            max={cfg.max ?? 10}
            step={0.5}
            left="Looser"
            right="More literal"
            onChange={(cfgScale) => set({ cfgScale })}
          />
        ) : null}

        <div className="field-row">
          {visible.has('seed') ? (
            <Field label="Seed" labelId="seed-label" hint={seedRunText(form)} error={problems.seed}>
              <div className="seed">
                <Segmented
                  name="seed-mode"
                  labelledBy="seed-label"
                  options={[
                    { value: 'random', label: 'Random' },
                    { value: 'fixed', label: 'Fixed' },
                  ]}
                  value={form.seedMode}
                  onChange={(seedMode) => set({ seedMode })}
                />
                {form.seedMode === 'fixed' ? (
                  <input
                    className="text-input seed__number"
                    type="number"
                    aria-label="Seed number"
                    min={0}
                    max={SEED_MAX}
                    value={form.seed}
                    onChange={(event) =>
                      set({
                        seed: Math.max(
                          0,
                          Math.min(SEED_MAX, Math.floor(Number(event.target.value) || 0)),
                        ),
                      })
                    }
                  />
                ) : null}
              </div>
            </Field>
          ) : null}
          {visible.has('output_format') ? (
            <Field label="File" labelId="format-label">
              <Segmented
                name="format"
                labelledBy="format-label"
                options={formatChoices(form).map((c) => ({
                  value: c.value,
                  label: c.value.toUpperCase(),
                }))}
                value={form.outputFormat}
                onChange={(outputFormat) => set({ outputFormat })}
              />
            </Field>
          ) : null}
          {form.tab !== 'upscale' ? (
            <Field label="Images" labelId="count-label">
              <div className="count" role="group" aria-label="How many images">
                <button
                  type="button"
                  className="count__step"
                  aria-label="Fewer images"
                  disabled={form.count <= 1}
                  onClick={() => set({ count: form.count - 1 })}
                >
                  −
                </button>
                <output className="count__value" aria-live="polite" aria-label="Images">
                  {form.count}
                </output>
                <button
                  type="button"
                  className="count__step"
                  aria-label="More images"
                  disabled={form.count >= 10}
                  onClick={() => set({ count: form.count + 1 })}
                >
                  +
                </button>
              </div>
            </Field>
          ) : null}
        </div>
      </div>

      <div className="create-form__footer">
        <button
          type="submit"
          className="button button--primary run-button"
          disabled={running}
          aria-keyshortcuts={usesCommandKey() ? 'Meta+Enter' : 'Control+Enter'}
        >
          <span>{runLabel(form)}</span>
          <kbd>{shortcut}</kbd>
        </button>
      </div>
      {runError ? (
        <p className="form-error" role="alert">
          {runError}
        </p>
      ) : null}
    </form>
  );
}
