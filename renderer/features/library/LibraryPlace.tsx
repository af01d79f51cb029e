import { EmptyState } from '../../ui/EmptyState';
import { PlaceHeader } from '../../ui/PlaceHeader';

export function LibraryPlace() {
  return (
    <>
      <PlaceHeader title="Library" />
      <div className="place__content place__content--center">
        <EmptyState icon="library" title="Your library is empty">
          <p>
            Every image you make lands here and in your library folder, with the prompt and settings
            that made it. The folder is yours: back it up, sync it, or open the images in any other
            program.
          </p>
        </EmptyState>
      </div>
    </>
  );
}
