/** The Stability endpoint table and the functions that read it. See table.ts. */
export * from './types';
export * from './vocab';
export * from './table';
export * from './validate';
