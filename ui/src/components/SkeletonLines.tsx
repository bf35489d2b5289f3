import { Skeleton } from "./Skeleton";

/** A stack of skeleton bars standing in for a block of text or a list while it loads. */
export function SkeletonLines({ widths }: { widths: string[] }) {
  return (
    <div className="skeleton-lines" aria-busy="true" aria-label="Loading">
      {widths.map((width, i) => (
        <Skeleton key={i} width={width} />
      ))}
    </div>
  );
}
