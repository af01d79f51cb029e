import { useEffect } from 'react';
import { useCreate } from '../state/create';
import { followAppCommands, onAppCommand, useNavigation } from '../state/navigation';
import { getBridge } from '../state/bridge';

/**
 * The desktop menu's commands (nothing arrives in the browser shell): go-to commands move between
 * places; "New Generation" opens Create with an empty prompt; "Run" runs the Create form as it is.
 */
export function useAppCommands(): void {
  useEffect(() => {
    let bridge;
    try {
      bridge = getBridge();
    } catch {
      return undefined; // No bridge attached (some tests render the frame alone).
    }
    const stopPlaces = followAppCommands(bridge);
    const stopCreate = onAppCommand(bridge, (command) => {
      if (command === 'new-generation') {
        useCreate.getState().setForm({ prompt: '', negativePrompt: '' });
        useNavigation.getState().goTo('create', { focus: true });
      } else if (command === 'run') {
        useNavigation.getState().goTo('create');
        void useCreate.getState().run();
      }
    });
    return () => {
      stopPlaces();
      stopCreate();
    };
  }, []);
}
