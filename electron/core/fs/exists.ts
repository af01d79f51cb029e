/** Whether anything (file or folder) is at `file`. */
import { stat } from 'node:fs/promises';

export async function pathExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
