import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ThemeChoice } from '../shared/api';
import { App } from './app/App';
import { applyTheme, THEME_MEMORY_KEY } from './app/useTheme';
import { connectStores } from './state';
import { createBridge } from './transport';
import './styles/theme.css';
import './styles/app.css';

// Paint in the last theme the person chose, before the settings arrive from the core.
try {
  const remembered = ThemeChoice.safeParse(localStorage.getItem(THEME_MEMORY_KEY));
  if (remembered.success) applyTheme(remembered.data);
} catch {
  // No storage: the theme follows the system until settings load.
}

connectStores(createBridge());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
