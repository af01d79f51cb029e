import { useEffect } from 'react';
import type { ThemeChoice } from '../../shared/api';
import { useSettings } from '../state';

/** Remembered locally only so the next start paints in the right theme before settings load. */
export const THEME_MEMORY_KEY = 'atelier.theme';

/** Puts the chosen theme on <html data-theme>; 'system' follows prefers-color-scheme in CSS. */
export function applyTheme(theme: ThemeChoice): void {
  document.documentElement.dataset.theme = theme;
}

export function useThemeFromSettings(): void {
  const theme = useSettings((s) => s.settings?.theme);
  useEffect(() => {
    if (!theme) return;
    applyTheme(theme);
    try {
      localStorage.setItem(THEME_MEMORY_KEY, theme);
    } catch {
      // Storage can be unavailable; the theme still applies once settings load.
    }
  }, [theme]);
}
