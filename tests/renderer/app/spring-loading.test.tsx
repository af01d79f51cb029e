/**
 * Dragging a picture over a place in the sidebar opens it after a short rest (so a Library tile
 * reaches Create's drop zone), and a picture dropped where nothing takes it never replaces the app.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../renderer/app/App';
import { SPRING_MS } from '../../../renderer/app/Sidebar';
import { connectStores, useNavigation } from '../../../renderer/state';
import { LIBRARY_DRAG_TYPE } from '../../../renderer/ui/library-drag';
import { FakeCore } from '../fakes';

let disconnect: () => void;

/** jsdom has no DataTransfer: the part of it these handlers read. */
function transfer(types: string[]) {
  return { types, files: [], items: [], dropEffect: 'none', getData: () => '' };
}

const button = (name: RegExp) =>
  within(screen.getByRole('navigation', { name: 'Places' })).getByRole('button', { name });

beforeEach(() => {
  vi.useFakeTimers();
  useNavigation.setState({ place: 'library', focusRequest: 0 });
  disconnect = connectStores(new FakeCore());
  render(<App />);
});

afterEach(() => {
  cleanup();
  disconnect();
  vi.useRealTimers();
});

describe('spring-loaded places', () => {
  it('opens Create after a Library tile rests on it, marking the button meanwhile', async () => {
    const create = button(/Create/);
    fireEvent.dragEnter(create, { dataTransfer: transfer([LIBRARY_DRAG_TYPE]) });
    fireEvent.dragOver(create, { dataTransfer: transfer([LIBRARY_DRAG_TYPE]) });
    expect(create.hasAttribute('data-drag-over')).toBe(true);
    await act(() => vi.advanceTimersByTime(SPRING_MS - 50));
    expect(useNavigation.getState().place).toBe('library');
    await act(() => vi.advanceTimersByTime(100));
    expect(useNavigation.getState().place).toBe('create');
    expect(create.hasAttribute('data-drag-over')).toBe(false);
  });

  it('does nothing when the drag leaves first, for text drags, or over Settings', async () => {
    const create = button(/Create/);
    fireEvent.dragEnter(create, { dataTransfer: transfer(['Files']) });
    fireEvent.dragLeave(create, {
      dataTransfer: transfer(['Files']),
      relatedTarget: document.body,
    });
    await act(() => vi.advanceTimersByTime(SPRING_MS * 2));
    expect(useNavigation.getState().place).toBe('library');

    fireEvent.dragEnter(create, { dataTransfer: transfer(['text/plain']) });
    fireEvent.dragEnter(button(/Settings/), { dataTransfer: transfer(['Files']) });
    await act(() => vi.advanceTimersByTime(SPRING_MS * 2));
    expect(useNavigation.getState().place).toBe('library');
  });

  it('moving onto the label inside the button keeps the wait going', async () => {
    const compare = button(/Compare/);
    const icon = compare.querySelector('.sidebar__label') as HTMLElement;
    fireEvent.dragEnter(compare, { dataTransfer: transfer(['Files']) });
    await act(() => vi.advanceTimersByTime(SPRING_MS / 2));
    // As a browser does: enter the label first, then leave the button for it.
    fireEvent.dragEnter(icon, { dataTransfer: transfer(['Files']) });
    fireEvent.dragLeave(compare, { dataTransfer: transfer(['Files']) });
    fireEvent.dragOver(icon, { dataTransfer: transfer(['Files']) });
    await act(() => vi.advanceTimersByTime(SPRING_MS / 2 + 10));
    expect(useNavigation.getState().place).toBe('compare');
  });
});

describe('the drop guard', () => {
  it('cancels a drop nothing took, so the browser does not open the file instead of Atelier', () => {
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    document.body.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    const over = new Event('dragover', { bubbles: true, cancelable: true });
    Object.defineProperty(over, 'dataTransfer', { value: transfer(['Files']) });
    document.body.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true);
    expect(
      (over as unknown as { dataTransfer: { dropEffect: string } }).dataTransfer.dropEffect,
    ).toBe('none');
  });
});
