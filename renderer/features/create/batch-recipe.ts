/**
 * What a batch from Create runs: the form's operation (Transform, or the chosen Upscaler) with its
 * settings, one picture each. Null (and the form's messages shown) while the form is not ready.
 */
import type { BatchRecipe } from '../../../shared/api';
import { useCreate } from '../../state/create';
import { paramsOf, problemsOf, targetOf } from '../../state/create-form';

export function createBatchRecipe(): BatchRecipe | null {
  const { form } = useCreate.getState();
  if (form.tab === 'generate') return null;
  // Every message but the picture's (the batch brings its pictures).
  const problems = Object.fromEntries(
    Object.entries(problemsOf(form, null)).filter(([field]) => field !== 'image'),
  );
  if (Object.keys(problems).length > 0) {
    useCreate.setState({ problems });
    return null;
  }
  const { endpoint, kind } = targetOf(form);
  if (kind === 'text-to-image') return null;
  return { kind, endpoint, params: paramsOf(form) };
}
