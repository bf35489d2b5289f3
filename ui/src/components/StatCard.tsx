import type { ReactNode } from "react";
import { Skeleton } from "./Skeleton";
import "./StatCard.css";

/** Props of {@link StatCard}. */
export interface StatCardProps {
  label: string;
  /** The big number, already formatted; ignored while `loading`. */
  value?: string;
  /** Small line under the value. */
  footnote?: ReactNode;
  loading?: boolean;
  /** Test id put on the value element. */
  valueTestId?: string;
  emphasis?: boolean;
}

/** One headline metric: a label, a large tabular number and a footnote. */
export function StatCard({ label, value, footnote, loading = false, valueTestId, emphasis = false }: StatCardProps) {
  return (
    <div className={emphasis ? "stat-card stat-card-emphasis" : "stat-card"} aria-busy={loading}>
      <div className="stat-label">{label}</div>
      {loading ? (
        <div className="stat-value-placeholder">
          <Skeleton width="60%" height={28} />
          <Skeleton width="40%" height={12} />
        </div>
      ) : (
        <>
          <div className="stat-value num" data-testid={valueTestId}>
            {value}
          </div>
          {footnote && <div className="stat-footnote">{footnote}</div>}
        </>
      )}
    </div>
  );
}
