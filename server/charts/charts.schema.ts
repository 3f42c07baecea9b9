import { z } from 'zod';
import { filters } from '../lib/validation.ts';
import { FLOW_MEASURES, type FlowMeasure } from './charts.queries.ts';

/** The charts page's filters: a bad value is ignored, never an error page. */
export const ChartsQuery = z.object({
  year: filters.year(),
  province: z
    .string()
    .regex(/^\d{2}0000$/)
    .optional()
    .catch(undefined),
  measure: z
    .enum(Object.keys(FLOW_MEASURES) as [FlowMeasure, ...FlowMeasure[]])
    .optional()
    .catch(undefined),
});
