import { useEffect } from 'react';
import { followAppCommands } from '../state/navigation';
import { getBridge } from '../state/bridge';

/** The desktop menu's go-to commands move between places (nothing arrives in the browser shell). */
export function useAppCommands(): void {
  useEffect(() => {
    let bridge;
    try {
      bridge = getBridge();
    } catch {
      return undefined; // No bridge attached (some tests render the frame alone).
    }
    return followAppCommands(bridge);
  }, []);
}
