/**
 * A row of choices that looks like a segmented control and is a native radio group underneath:
 * Tab reaches the chosen one, arrow keys move the choice, every option has its name.
 */
export function Segmented<T extends string | number>({
  name,
  labelledBy,
  describedBy,
  options,
  value,
  disabled = false,
  onChange,
  compact = false,
}: {
  name: string;
  labelledBy: string;
  describedBy?: string;
  options: readonly { value: T; label: string }[];
  value: T | undefined;
  disabled?: boolean;
  onChange: (value: T) => void;
  compact?: boolean;
}) {
  return (
    <div
      className={compact ? 'segmented segmented--compact' : 'segmented'}
      role="radiogroup"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
    >
      {options.map((option) => (
        <label key={option.value} className="segmented__option">
          <input
            type="radio"
            name={name}
            value={String(option.value)}
            checked={option.value === value}
            disabled={disabled}
            onChange={() => onChange(option.value)}
          />
          <span>{option.label}</span>
        </label>
      ))}
    </div>
  );
}
