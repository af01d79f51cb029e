/** The four places an artist moves between, in sidebar order (Ctrl/Cmd+1..4). */
export const PLACES = ['create', 'library', 'compare', 'settings'] as const;
export type Place = (typeof PLACES)[number];

export const PLACE_LABELS: Record<Place, string> = {
  create: 'Create',
  library: 'Library',
  compare: 'Compare',
  settings: 'Settings',
};
