/**
 * What jsdom lacks and the renderer uses. ResizeObserver: a stand-in that reports nothing (layout
 * has no sizes in jsdom anyway); components still mount and measure once.
 */
class ResizeObserverStandIn {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = ResizeObserverStandIn;
}

// jsdom has no scrolling: scrollTo is absent on elements.
if (typeof Element.prototype.scrollTo !== 'function') {
  Element.prototype.scrollTo = function scrollTo(): void {};
}
