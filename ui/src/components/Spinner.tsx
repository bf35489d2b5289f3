import "./Spinner.css";

/** A small spinning ring for work in progress (decorative: say what runs in text next to it). */
export function Spinner({ size = 14 }: { size?: number }) {
  return <span className="spinner" style={{ width: size, height: size }} aria-hidden="true" data-testid="spinner" />;
}
