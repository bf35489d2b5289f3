import "./Skeleton.css";

/** A shimmering placeholder bar shown while data loads. */
export function Skeleton({ width = "100%", height = 14 }: { width?: number | string; height?: number }) {
  return <span className="skeleton" style={{ width, height }} aria-hidden="true" />;
}
