import { type ReactNode, type SyntheticEvent } from 'react';
import { useSettings } from '../../state';
import type { SettingError, SettingKey } from '../../state/settings';
import { SettingRow } from './SettingRow';

/**
 * The sentence shown under a setting the core refused. The contract's field notes are written as
 * predicates ("must be an https address ..."), so they complete a sentence about the
 * setting; any other note, the core's whole sentence is shown as it is.
 */
export function errorSentence(
  subject: string,
  error: SettingError | undefined,
): string | undefined {
  if (!error) return undefined;
  if (error.field && /^must /.test(error.field))
    return `${subject} ${error.field.replace(/\.$/, '')}.`;
  return error.message;
}

interface TextSettingProps {
  /** The row's id: the field is labelled by `${id}-label`, described by `${id}-description`. */
  id: string;
  setting: SettingKey;
  /** What the core's field notes complete ("The API address" must be ...). */
  subject: string;
  label: string;
  description: ReactNode;
  placeholder: string;
  /** What the core has; null: the default. */
  saved: string | null;
  draft: string;
  setDraft: (draft: string) => void;
  /** Saves a value; null goes back to the default. */
  save: (value: string | null) => void;
  inputMode?: 'url';
  /** The Save and Reset buttons' names, when "Save" and "Reset" alone would be ambiguous. */
  names?: { save: string; reset: string };
  /** A message of the row's own (shown when the core has none). */
  ownError?: string | null;
  onEdit?: () => void;
  /** More buttons, between Save and Reset. */
  children?: ReactNode;
  /** A line under the field (what a longer action is doing, or did). */
  status?: ReactNode;
  /** Everything disabled (a longer action runs). */
  disabled?: boolean;
}

/** A setting typed as text (an address, a folder): Save, Reset to the default, plain errors. */
export function TextSetting(props: TextSettingProps) {
  const { id, setting, saved, draft, setDraft, save } = props;
  const settingError = errorSentence(
    props.subject,
    useSettings((s) => s.errors[setting]),
  );
  const busy = useSettings((s) => s.saving[setting] === true) || props.disabled === true;
  const clearError = useSettings((s) => s.clearError);
  const value = draft.trim();
  const error = settingError ?? props.ownError ?? undefined;

  function onSubmit(event: SyntheticEvent) {
    event.preventDefault();
    save(value === '' ? null : value);
  }

  return (
    <SettingRow id={id} wide label={props.label} description={props.description} error={error}>
      <div className="text-setting">
        <form className="inline-form" onSubmit={onSubmit}>
          <input
            className="text-input mono"
            type="text"
            inputMode={props.inputMode}
            spellCheck={false}
            autoComplete="off"
            aria-labelledby={`${id}-label`}
            aria-describedby={error ? `${id}-error ${id}-description` : `${id}-description`}
            aria-invalid={error ? true : undefined}
            placeholder={props.placeholder}
            readOnly={props.disabled}
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              props.onEdit?.();
              if (settingError) clearError(setting);
            }}
          />
          <button
            type="submit"
            className="button button--primary"
            aria-label={props.names?.save}
            disabled={busy || value === (saved ?? '')}
          >
            Save
          </button>
          {props.children}
          <button
            type="button"
            className="button"
            aria-label={props.names?.reset}
            disabled={busy || (saved === null && draft === '')}
            onClick={() => {
              setDraft('');
              save(null);
            }}
          >
            Reset
          </button>
        </form>
        {props.status}
      </div>
    </SettingRow>
  );
}
