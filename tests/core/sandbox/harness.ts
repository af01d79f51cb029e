/** One Sandbox and a client for it, for the tests of a file: started before them, closed after. */
import { afterAll, beforeAll } from 'vitest';
import {
  SANDBOX_API_KEY,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../../electron/core/sandbox';
import { createStabilityClient, type StabilityClient } from '../../../electron/core/stability';

export interface LiveSandbox {
  readonly sandbox: Sandbox;
  readonly client: StabilityClient;
}

/** Registers the hooks; read `sandbox` and `client` inside tests (they exist once beforeAll ran). */
export function useSandbox(options: SandboxOptions = {}): LiveSandbox {
  const live: { sandbox?: Sandbox; client?: StabilityClient } = {};
  beforeAll(async () => {
    live.sandbox = await startSandbox({ faults: {}, ...options });
    live.client = createStabilityClient({ baseUrl: live.sandbox.url, apiKey: SANDBOX_API_KEY });
  });
  afterAll(async () => {
    await live.client?.close();
    await live.sandbox?.close();
  });
  return {
    get sandbox() {
      if (!live.sandbox) throw new Error('The Sandbox starts in beforeAll.');
      return live.sandbox;
    },
    get client() {
      if (!live.client) throw new Error('The Sandbox starts in beforeAll.');
      return live.client;
    },
  };
}
