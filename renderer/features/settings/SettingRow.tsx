import type { ReactNode } from 'react';
import { FieldError } from '../../ui/FieldError';

/** One setting: its name and what it does on the left, the control on the right, errors below. */
export function SettingRow({
  id,
  label,
  description,
  error,
  children,
  wide = false,
}: {
  id: string;
  label: string;
  description?: ReactNode;
  error?: string;
  children: ReactNode;
  /** Put the control under the text (for long controls such as an address field). */
  wide?: boolean;
}) {
  return (
    <div className={wide ? 'setting setting--wide' : 'setting'}>
      <div className="setting__text">
        <div className="setting__label" id={`${id}-label`}>
          {label}
        </div>
        {description ? (
          <div className="setting__description" id={`${id}-description`}>
            {description}
          </div>
        ) : null}
      </div>
      <div className="setting__control">{children}</div>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
