/**
 * The bridge the stores talk through. main.tsx attaches the real one; tests attach fakes.
 */
import type { RendererBridge } from '../transport';

let current: RendererBridge | null = null;

export function setBridge(bridge: RendererBridge | null): void {
  current = bridge;
}

export function getBridge(): RendererBridge {
  if (!current) throw new Error('No bridge attached: call connectStores(bridge) first.');
  return current;
}
