import { useEffect, useState } from "react";

/**
 * Performance marks for "how long until a view first shows its content" (read by `make bench`
 * through `performance.getEntriesByName`, never asserted in tests). `useOpenedMark(name, id)`
 * marks `${name}:opened` when the view mounts or `id` changes; `usePaintedMark(name, id)`, in
 * the component that shows the content, marks `${name}:painted` after the first frame it is on
 * screen and measures `${name}` between the two (its `detail` is `id`).
 */
export function useOpenedMark(name: string, id: string): void {
  // Marked while rendering, before anything of the view is fetched.
  useState(() => performance.mark(`${name}:opened`, { detail: id }));
  const [marked, setMarked] = useState(id);
  if (marked !== id) {
    setMarked(id);
    performance.mark(`${name}:opened`, { detail: id });
  }
}

/** See {@link useOpenedMark}. */
export function usePaintedMark(name: string, id: string): void {
  useEffect(() => {
    // The frame after the commit is the one that shows it.
    const frame = requestAnimationFrame(() => {
      const opened = performance.getEntriesByName(`${name}:opened`, "mark").at(-1);
      if (!opened) return;
      performance.mark(`${name}:painted`, { detail: id });
      performance.measure(name, { start: opened.startTime, end: performance.now(), detail: id });
    });
    return () => cancelAnimationFrame(frame);
  }, [name, id]);
}
