/**
 * Staging a file by its bytes: the browser shell's way for every file, and the Electron shell's for
 * files with no path on disk (a pasted picture). One message is at most 1 MiB, so the bytes go as
 * base64 chunks of at most UPLOAD_CHUNK_CHARS characters, in order: inputs.begin, inputs.chunk…,
 * inputs.finish.
 */
import { UPLOAD_CHUNK_CHARS, type AtelierBridge, type InputView } from '../../shared/api';

/** Raw bytes per chunk so that its base64 fits UPLOAD_CHUNK_CHARS. */
const CHUNK_BYTES = (UPLOAD_CHUNK_CHARS / 4) * 3;

function base64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

/** Uploads `file` through `invoke` and answers what the core staged. */
export async function uploadFile(invoke: AtelierBridge['invoke'], file: File): Promise<InputView> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { id } = await invoke('inputs.begin', {
    name: file.name || 'pasted picture.png',
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    const data = base64(bytes.subarray(offset, offset + CHUNK_BYTES));
    await invoke('inputs.chunk', { id, offset, data });
  }
  return invoke('inputs.finish', { id });
}
