/** Small line icons drawn for Atelier (20x20, stroke follows the text colour). */
export type IconName =
  'create' | 'library' | 'compare' | 'settings' | 'info' | 'warning' | 'image' | 'folder' | 'queue';

const PATHS: Record<IconName, React.ReactNode> = {
  queue: (
    <>
      <path d="M3 5h10M3 10h10M3 15h6" />
      <path d="m14.5 13 2.5 2-2.5 2" opacity="0.7" />
    </>
  ),
  create: (
    <>
      <path d="M10 2.5v3M10 14.5v3M2.5 10h3M14.5 10h3" />
      <path d="M10 7.2 11 9l1.8 1-1.8 1-1 1.8L9 11l-1.8-1L9 9z" />
      <path d="M4.6 4.6l1.4 1.4M14 14l1.4 1.4M15.4 4.6 14 6M6 14l-1.4 1.4" opacity="0.55" />
    </>
  ),
  library: (
    <>
      <rect x="2.75" y="2.75" width="6" height="6" rx="1.2" />
      <rect x="11.25" y="2.75" width="6" height="6" rx="1.2" />
      <rect x="2.75" y="11.25" width="6" height="6" rx="1.2" />
      <rect x="11.25" y="11.25" width="6" height="6" rx="1.2" />
    </>
  ),
  compare: (
    <>
      <rect x="2.75" y="3.75" width="14.5" height="12.5" rx="1.6" />
      <path d="M10 2v16" />
      <path d="M5.5 12.5 7.5 10l1.5 1.8" opacity="0.6" />
    </>
  ),
  settings: (
    <>
      <path d="M3 5.5h8M15 5.5h2M3 10h2M9 10h8M3 14.5h6M13 14.5h4" />
      <circle cx="13" cy="5.5" r="1.8" />
      <circle cx="7" cy="10" r="1.8" />
      <circle cx="11" cy="14.5" r="1.8" />
    </>
  ),
  info: (
    <>
      <circle cx="10" cy="10" r="7.25" />
      <path d="M10 9v5" />
      <circle cx="10" cy="6.4" r="0.4" fill="currentColor" />
    </>
  ),
  warning: (
    <>
      <path d="M10 3 17.5 16h-15z" />
      <path d="M10 8.2v3.8" />
      <circle cx="10" cy="14" r="0.4" fill="currentColor" />
    </>
  ),
  image: (
    <>
      <rect x="2.75" y="3.75" width="14.5" height="12.5" rx="1.6" />
      <circle cx="7.2" cy="8" r="1.4" />
      <path d="m3.5 15 4.5-4.5 3 3 2-2 3.5 3.5" />
    </>
  ),
  folder: (
    <path d="M2.75 5.5a1.5 1.5 0 0 1 1.5-1.5h3.2l1.8 1.8h6.5a1.5 1.5 0 0 1 1.5 1.5v7.5a1.5 1.5 0 0 1-1.5 1.5H4.25a1.5 1.5 0 0 1-1.5-1.5z" />
  ),
};

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name]}
    </svg>
  );
}
