export * from './core.ts';
export * from './pairings.ts';
export * from './records.ts';
export * from './assessment.ts';
export * from './versions.ts';
export * from './exchange.ts';
export * from './reports.ts';
export * from './filters.ts';
