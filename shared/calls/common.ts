/** Small schemas shared by several groups of calls. */
import { z } from 'zod';

/** The request of a call that takes nothing. */
export const Empty = z.object({}).strict();
