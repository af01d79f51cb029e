import { useEffect } from 'react';
import { needsOnboarding, useAccount, useNavigation } from '../state';
import { CreatePlace } from '../features/create/CreatePlace';
import { LibraryPlace } from '../features/library/LibraryPlace';
import { ComparePlace } from '../features/compare/ComparePlace';
import { SettingsPlace } from '../features/settings/SettingsPlace';
import { QueuePanel } from '../features/queue/QueuePanel';
import { Welcome } from '../features/onboarding/Welcome';
import { PLACE_TITLE_ID } from '../ui/PlaceHeader';
import { ConnectionBanner } from './ConnectionBanner';
import { Sidebar } from './Sidebar';
import { TitleBar } from './TitleBar';
import type { Place } from './places';
import { usePlaceShortcuts } from './useShortcuts';
import { useAppCommands } from './useAppCommands';
import { useDropGuard } from './useDropGuard';
import '../styles/account.css';
import { useThemeFromSettings } from './useTheme';

function PlaceView({ place }: { place: Place }) {
  switch (place) {
    case 'create':
      return <CreatePlace />;
    case 'library':
      return <LibraryPlace />;
    case 'compare':
      return <ComparePlace />;
    case 'settings':
      return <SettingsPlace />;
  }
}

export function App() {
  const place = useNavigation((s) => s.place);
  const focusRequest = useNavigation((s) => s.focusRequest);
  const onboarding = useAccount((s) => needsOnboarding(s.account));
  usePlaceShortcuts();
  useAppCommands();
  useDropGuard();
  useThemeFromSettings();

  useEffect(() => {
    if (focusRequest > 0) document.getElementById(PLACE_TITLE_ID)?.focus();
  }, [focusRequest]);

  return (
    <div className="app">
      <TitleBar />
      <ConnectionBanner />
      {onboarding ? (
        <div className="app__body app__body--welcome">
          <Welcome />
        </div>
      ) : (
        <div className="app__body">
          <Sidebar />
          <main className="place" aria-labelledby={PLACE_TITLE_ID} data-place={place}>
            <PlaceView place={place} />
          </main>
          <QueuePanel />
        </div>
      )}
    </div>
  );
}
