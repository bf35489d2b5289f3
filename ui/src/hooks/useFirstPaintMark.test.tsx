import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { useOpenedMark, usePaintedMark } from "./useFirstPaintMark";

function Painted({ id }: { id: string }) {
  usePaintedMark("t-view", id);
  return <p>{id}</p>;
}

function View({ id, ready }: { id: string; ready: boolean }) {
  useOpenedMark("t-view", id);
  return ready ? <Painted id={id} /> : <p>loading</p>;
}

const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

describe("first-paint marks", () => {
  it("measures from opening a view to the first frame of its content, once per id", async () => {
    performance.clearMarks();
    performance.clearMeasures();
    const { rerender } = render(<View id="a" ready={false} />);
    await frame();
    expect(performance.getEntriesByName("t-view", "measure")).toHaveLength(0);
    rerender(<View id="a" ready />);
    await frame();
    await frame();
    rerender(<View id="a" ready />);
    await frame();
    const details = () => performance.getEntriesByName("t-view", "measure").map((m) => (m as PerformanceMeasure).detail as string);
    expect(details()).toEqual(["a"]);
    const measures = performance.getEntriesByName("t-view", "measure");
    expect(measures[0].duration).toBeGreaterThanOrEqual(0);
    // Another session: opened again, measured again.
    rerender(<View id="b" ready={false} />);
    rerender(<View id="b" ready />);
    await frame();
    await frame();
    expect(details()).toEqual(["a", "b"]);
    expect(performance.getEntriesByName("t-view:opened", "mark")).toHaveLength(2);
  });
});
