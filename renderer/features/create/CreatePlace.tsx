import { EmptyState } from '../../ui/EmptyState';
import { PlaceHeader } from '../../ui/PlaceHeader';

export function CreatePlace() {
  return (
    <>
      <PlaceHeader title="Create" />
      <div className="place__content place__content--center">
        <EmptyState
          icon="create"
          title="Type a prompt or drop a picture here to make images"
          note="Making images needs a Stability AI key or the Sandbox (free generated patterns). This version cannot set up either yet; they arrive in a coming update."
        >
          <p>
            Describe what you want to see, or bring a picture to transform or upscale. Results
            appear here as they arrive, and each one is saved to your library.
          </p>
        </EmptyState>
      </div>
    </>
  );
}
