/** The Stability API client. See client.ts and errors.ts. */
export * from './client';
export * from './errors';
