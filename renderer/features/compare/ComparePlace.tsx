import { EmptyState } from '../../ui/EmptyState';
import { PlaceHeader } from '../../ui/PlaceHeader';

export function ComparePlace() {
  return (
    <>
      <PlaceHeader title="Compare" />
      <div className="place__content place__content--center">
        <EmptyState icon="compare" title="Pick two pictures to compare them side by side">
          <p>
            Choose two images in the Library, or open an upscale next to its original. Zoom and pan
            move both together, so the same spot always lines up.
          </p>
        </EmptyState>
      </div>
    </>
  );
}
