import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** What a place will hold, said plainly, while it holds nothing yet. */
export function EmptyState({
  icon,
  title,
  children,
  note,
}: {
  icon: IconName;
  title: string;
  children: ReactNode;
  /** A quiet line below, e.g. what is needed before the place can do its work. */
  note?: ReactNode;
}) {
  return (
    <section className="empty" aria-label={title}>
      <div className="empty__art">
        <Icon name={icon} size={40} />
      </div>
      <h2 className="empty__title">{title}</h2>
      <div className="empty__body">{children}</div>
      {note ? (
        <p className="empty__note">
          <Icon name="info" size={16} />
          <span>{note}</span>
        </p>
      ) : null}
    </section>
  );
}
