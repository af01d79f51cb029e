/**
 * References: the pictures a library entry was made with (a guide's sketch, style picture ...),
 * kept once in the library's inputs folder and named by the entry's sidecar. Reuse settings stages
 * them again by the entry's id and the picture's role; the page never names a file.
 */
import { z } from 'zod';
import { InputView } from './create';

const Id = z.string().min(1).max(100);

export const referenceCalls = {
  /**
   * Stages again the input of a library entry's recipe with this role (`image`, `init_image`,
   * `style_image` ...). The core finds the file from the entry's sidecar, inside the library's
   * inputs folder only.
   */
  'inputs.fromReference': {
    request: z.object({ id: Id, role: z.string().regex(/^[a-z][a-z_]{0,39}$/) }).strict(),
    response: InputView,
  },
} as const;

export const referenceEvents = {} as const;
