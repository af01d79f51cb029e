/**
 * Reads just enough of an EXIF block (as sharp returns it: "Exif\0\0" then a TIFF structure) to
 * tell whether it holds a GPS position, so Atelier can say it removed one.
 */
const GPS_IFD_POINTER = 0x8825;

export function exifHasGps(exif: Uint8Array | undefined): boolean {
  if (!exif || exif.length < 8) return false;
  const view = new DataView(exif.buffer, exif.byteOffset, exif.byteLength);
  let base = 0;
  if (String.fromCharCode(...exif.subarray(0, 4)) === 'Exif') base = 6;
  if (exif.length < base + 8) return false;
  const order = String.fromCharCode(exif[base] ?? 0, exif[base + 1] ?? 0);
  if (order !== 'II' && order !== 'MM') return false;
  const little = order === 'II';
  const ifd0 = base + view.getUint32(base + 4, little);
  if (ifd0 + 2 > exif.length) return false;
  const count = view.getUint16(ifd0, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > exif.length) return false;
    if (view.getUint16(entry, little) === GPS_IFD_POINTER) {
      const gps = base + view.getUint32(entry + 8, little);
      // A GPS directory with at least one entry.
      return gps + 2 <= exif.length && view.getUint16(gps, little) > 0;
    }
  }
  return false;
}
