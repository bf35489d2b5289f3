/**
 * jsdom lays nothing out (every box is 0 × 0), so a virtualized list would show no row. Gives
 * the scroll viewports of virtualized lists (`data-testid` ending in `scroller`) the size of a
 * window and each row they measure (`data-index`) a row's height, as a browser would (TanStack
 * Virtual reads a viewport's `clientWidth` / `clientHeight` and a row's `offsetHeight`).
 */
export function installLayout(): void {
  // jsdom lays nothing out, so nothing ever resizes: an observer that never calls back.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  const size = (element: HTMLElement, axis: "width" | "height"): number => {
    if (element.dataset.testid?.endsWith("scroller")) return axis === "width" ? 1000 : 800;
    if (element.dataset.index !== undefined) return axis === "width" ? 1000 : 80;
    return 0;
  };
  for (const [property, axis] of [
    ["offsetHeight", "height"],
    ["offsetWidth", "width"],
    ["clientHeight", "height"],
    ["clientWidth", "width"],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, property, {
      configurable: true,
      get(this: HTMLElement) {
        return size(this, axis);
      },
    });
  }
}
