import type { ReactNode } from 'react';

/** The id of every place's heading: the frame moves focus there after a keyboard jump. */
export const PLACE_TITLE_ID = 'place-title';

/** The heading row at the top of each place. */
export function PlaceHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="place__header">
      <h1 className="place__title" tabIndex={-1} id={PLACE_TITLE_ID}>
        {title}
      </h1>
      {children ? <div className="place__tools">{children}</div> : null}
    </header>
  );
}
