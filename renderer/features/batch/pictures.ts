/**
 * The files of a drop or a folder picker, one at a time, with their names relative to what was
 * chosen: a dropped folder is read entry by entry (webkitGetAsEntry, readEntries in pages), so a
 * folder of thousands of pictures is never listed, let alone read, all at once.
 */
import type { BatchPicture } from '../../state/batch';

/** Most files one batch takes from the page (the core walks bigger folders in the desktop app). */
export const MAX_BATCH_FILES = 10_000;
const MAX_DEPTH = 16;

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function* walkEntry(
  entry: FileSystemEntry,
  relative: string,
  depth: number,
): AsyncGenerator<BatchPicture> {
  if (entry.isFile) {
    yield { file: await fileOf(entry as FileSystemFileEntry), relative };
    return;
  }
  if (!entry.isDirectory || depth > MAX_DEPTH) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const page = await readEntries(reader);
    if (page.length === 0) return;
    page.sort((a, b) => a.name.localeCompare(b.name, 'en'));
    for (const child of page) {
      yield* walkEntry(
        child,
        relative === '' ? child.name : `${relative}/${child.name}`,
        depth + 1,
      );
    }
  }
}

/** What a drop carries as a batch: null when it is one file and no folder (Create takes it as is). */
export function droppedBatch(
  data: DataTransfer,
): { name: string; pictures: AsyncIterable<BatchPicture> } | null {
  const entries: FileSystemEntry[] = [];
  for (const item of [...data.items]) {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  }
  const folder = entries.find((entry) => entry.isDirectory);
  if (entries.length < 2 && !folder) return null;
  const name = folder?.name ?? `${entries.length} pictures`;
  const single = entries.length === 1 && folder !== undefined;
  async function* all(): AsyncGenerator<BatchPicture> {
    let count = 0;
    for (const entry of entries) {
      // One folder dropped: names inside it; several things: each keeps its own name in front.
      for await (const picture of walkEntry(entry, single ? '' : entry.name, 0)) {
        if (++count > MAX_BATCH_FILES) return;
        yield picture;
      }
    }
  }
  return { name, pictures: all() };
}

/** The files of `<input webkitdirectory>` (or several chosen files) as a batch. */
export function chosenBatch(files: readonly File[]): {
  name: string;
  pictures: Iterable<BatchPicture>;
} {
  const first = files[0]?.webkitRelativePath ?? '';
  const name = first.includes('/') ? (first.split('/')[0] ?? 'Folder') : `${files.length} pictures`;
  function* all(): Generator<BatchPicture> {
    for (const file of files.slice(0, MAX_BATCH_FILES)) {
      const path = file.webkitRelativePath || file.name;
      // The chosen folder's own name is the batch's; inside it, the subfolders are kept.
      yield { file, relative: path.includes('/') ? path.split('/').slice(1).join('/') : path };
    }
  }
  return { name, pictures: all() };
}
