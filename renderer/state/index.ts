/**
 * Wires the stores to a bridge: loads what the frame needs, follows events and the connection,
 * and reloads everything when the connection comes back. Returns a function that undoes it.
 */
import type { RendererBridge } from '../transport';
import { useAccount } from './account';
import { setBridge } from './bridge';
import { useApp } from './connection';
import { useSettings } from './settings';
import { followQueue, useQueue } from './queue';

export function connectStores(bridge: RendererBridge): () => void {
  setBridge(bridge);
  const load = () => {
    void useApp.getState().loadInfo();
    void useSettings.getState().load();
    void useAccount.getState().load();
    void useQueue.getState().load();
  };
  useApp.setState({ connection: bridge.connection.state });
  const stopEvents = bridge.on('settings.changed', (settings) =>
    useSettings.getState().received(settings),
  );
  const stopAccount = bridge.on('account.changed', (account) =>
    useAccount.getState().received(account),
  );
  // After each job that was (or may have been) charged, fetch the balance fresh (once per job,
  // a batch finishing together costs one request).
  const charged = new Set<string>();
  let creditsTimer: ReturnType<typeof setTimeout> | undefined;
  const stopJobs = bridge.on('jobs.changed', (job) => {
    const final =
      job.state === 'done' ||
      job.state === 'filtered' ||
      ((job.state === 'failed' || job.state === 'needs-attention') && job.mayHaveBeenCharged);
    if (!final || charged.has(`${job.id}:${String(job.attempts)}`)) return;
    charged.add(`${job.id}:${String(job.attempts)}`);
    clearTimeout(creditsTimer);
    creditsTimer = setTimeout(() => void useAccount.getState().refreshCredits(), 250);
  });
  const stopQueue = followQueue(bridge);
  const stopConnection = bridge.connection.subscribe((connection) => {
    useApp.setState({ connection });
    if (connection.status === 'online') load();
  });
  // Otherwise the subscription above loads once the transport is online (again).
  if (bridge.connection.state.status === 'online') load();
  return () => {
    stopEvents();
    stopAccount();
    stopJobs();
    stopQueue();
    clearTimeout(creditsTimer);
    stopConnection();
    setBridge(null);
  };
}

export {
  confirmRun,
  formatCredits,
  needsOnboarding,
  overBalanceQuestion,
  useAccount,
} from './account';
export { useApp, messageOf } from './connection';
export { useNavigation } from './navigation';
export { useSettings } from './settings';
