/** The Sandbox: a local stand-in for the Stability API. See server.ts and faults.ts. */
export {
  DEFAULT_TRIGGERS,
  SANDBOX_API_KEY,
  SANDBOX_BAD_KEY,
  startSandbox,
  type Ledger,
  type LedgerEntry,
  type RecordedField,
  type RecordedRequest,
  type Sandbox,
  type SandboxOptions,
  type Triggers,
} from './server';
export { faultsFromEnv, parseFaults, type Faults } from './faults';
