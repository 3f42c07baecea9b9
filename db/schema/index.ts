export * from './core.ts';
export * from './pairings.ts';
export * from './records.ts';
