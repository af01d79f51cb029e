/**
 * The pieces every Create form is built of: a labelled field (its hint and its message) and a
 * slider with plain words at both ends.
 */
import { useId, type ReactNode } from 'react';

export function Field({
  label,
  htmlFor,
  labelId,
  hint,
  error,
  children,
}: {
  label: string;
  htmlFor?: string;
  labelId?: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <div className="field__head">
        {htmlFor ? (
          <label className="field__label" htmlFor={htmlFor} id={labelId}>
            {label}
          </label>
        ) : (
          <span className="field__label" id={labelId}>
            {label}
          </span>
        )}
        {hint ? <span className="field__hint">{hint}</span> : null}
      </div>
      {children}
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Slider({
  label,
  value,
  min,
  max,
  step,
  onChange,
  left,
  right,
  words,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (value: number) => void;
  left: string;
  right: string;
  words?: string;
}) {
  const id = useId();
  return (
    <Field label={label} htmlFor={id} hint={<output htmlFor={id}>{value.toFixed(2)}</output>}>
      <input
        id={id}
        className="slider"
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-valuetext={words ? `${value.toFixed(2)}: ${words}` : value.toFixed(2)}
        onChange={(event) => onChange(Number(event.target.value))}
      />
      <div className="slider__ends" aria-hidden="true">
        <span>{left}</span>
        <span>{right}</span>
      </div>
      {words ? <p className="slider__words">{words}</p> : null}
    </Field>
  );
}
