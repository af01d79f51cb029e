/**
 * The operating system's file chooser behind a button of ours: a hidden file input (out of the tab
 * order and of the accessibility tree, the button is what people reach) and `open()` to show it.
 */
import { useRef, type ReactElement } from 'react';

export const PICTURE_TYPES = 'image/png,image/jpeg,image/webp';

export function useFilePicker(options: {
  accept: string;
  multiple?: boolean;
  /** The chosen files (never none). */
  onFiles(files: File[]): void;
}): { input: ReactElement; open: () => void } {
  const ref = useRef<HTMLInputElement>(null);
  const input = (
    <input
      ref={ref}
      type="file"
      accept={options.accept}
      multiple={options.multiple ?? false}
      className="visually-hidden"
      tabIndex={-1}
      aria-hidden="true"
      onChange={(event) => {
        const files = [...(event.currentTarget.files ?? [])];
        // Cleared, so that choosing the same file again is a change too.
        event.currentTarget.value = '';
        if (files.length > 0) options.onFiles(files);
      }}
    />
  );
  return { input, open: () => ref.current?.click() };
}
