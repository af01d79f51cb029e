import { useEffect, type DragEvent } from 'react';
import '../../styles/create.css';
import { useApp } from '../../state';
import { followJobs, useCreate } from '../../state/create';
import { carriesPicture } from '../../ui/library-drag';
import { EmptyState } from '../../ui/EmptyState';
import { PlaceHeader } from '../../ui/PlaceHeader';
import { Segmented } from '../../ui/Segmented';
import { CreateForm } from './CreateForm';
import { takeDrop } from './DropZone';
import { takeGuideDrop } from './GuideForm';
import { BatchSummaryDialog } from '../batch/BatchSummaryDialog';
import { takeBatchDrop } from '../batch/BatchIntake';
import { createBatchRecipe } from './batch-recipe';
import { Results } from './Results';
import type { Tab } from '../../state/create-form';

const TABS: readonly { value: Tab; label: string }[] = [
  { value: 'generate', label: 'Generate' },
  { value: 'transform', label: 'Transform' },
  { value: 'upscale', label: 'Upscale' },
  { value: 'guide', label: 'Guide' },
];

export function CreatePlace() {
  const tab = useCreate((s) => s.form.tab);
  const setForm = useCreate((s) => s.setForm);
  const hasJobs = useCreate((s) => Object.keys(s.jobs).length > 0);
  const online = useApp((s) => s.connection.status === 'online');

  // A picture dropped anywhere in Create: transform it (or upscale it, when upscaling).
  const onDragOver = (event: DragEvent) => {
    if (carriesPicture(event.dataTransfer)) event.preventDefault();
  };
  const onDrop = (event: DragEvent) => {
    if (!carriesPicture(event.dataTransfer)) return;
    event.preventDefault();
    if (tab === 'guide' && takeGuideDrop(event.dataTransfer)) return;
    if (tab === 'generate') setForm({ tab: 'transform' });
    // Several files or a folder: a batch of the current operation.
    if (takeBatchDrop(event.dataTransfer, createBatchRecipe)) return;
    takeDrop(event.dataTransfer);
  };

  // Follow the core's jobs while Create is open; load again after a reconnection.
  useEffect(() => {
    if (!online) return undefined;
    return followJobs();
  }, [online]);

  return (
    <>
      <PlaceHeader title="Create">
        <span className="visually-hidden" id="mode-label">
          What to do
        </span>
        <Segmented
          name="create-mode"
          labelledBy="mode-label"
          options={TABS}
          value={tab}
          onChange={(value) => setForm({ tab: value })}
        />
      </PlaceHeader>
      <div className="create" onDragOver={onDragOver} onDrop={onDrop}>
        <CreateForm />
        <section className="create__stage" aria-label="Results">
          {hasJobs ? (
            <Results />
          ) : (
            <div className="create__empty">
              <EmptyState icon="create" title="Type a prompt or drop a picture here to make images">
                <p>
                  Describe what you want to see, or bring a picture to transform or upscale. Results
                  appear here as they arrive, and each one is saved to your library.
                </p>
              </EmptyState>
            </div>
          )}
        </section>
      </div>
      <BatchSummaryDialog />
    </>
  );
}
