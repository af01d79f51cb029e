import { useEffect } from 'react';
import type { InputView } from '../../shared/api';
import { useCreate } from '../state/create';
import { followAppCommands, onAppCommand, useNavigation } from '../state/navigation';
import { getBridge } from '../state/bridge';

/**
 * What the desktop shell sends (nothing arrives in the browser shell): go-to commands move between
 * places; "New Generation" opens Create with an empty prompt; "Run" runs the Create form as it is;
 * images opened with Atelier (Open With, File > Open Image, a second launch), which the main
 * process has staged, are added to the Library and the first one is offered to Create, ready to
 * transform or upscale.
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
    const stopFiles = bridge.on('app.openFiles', ({ inputs }) => void openFiles(inputs));
    return () => {
      stopPlaces();
      stopCreate();
      stopFiles();
    };
  }, []);
}

async function openFiles(inputs: readonly InputView[]): Promise<void> {
  const bridge = getBridge();
  for (const input of inputs) {
    try {
      await bridge.invoke('library.import', { input: input.id });
    } catch {
      // The picture is still offered to Create, which can use it either way.
    }
  }
  const [first] = inputs;
  if (first === undefined) return;
  useCreate.getState().setForm({ tab: 'transform' });
  useNavigation.getState().goTo('create', { focus: true });
  useCreate.getState().takeStaged(first);
}
