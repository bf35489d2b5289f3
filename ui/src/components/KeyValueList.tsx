import type { ReactNode } from "react";
import "./KeyValueList.css";

/** One row of a {@link KeyValueList}. */
export interface KeyValueItem {
  label: string;
  value: ReactNode;
  /** Render the value in the monospace font (paths, URLs). */
  mono?: boolean;
  /** `data-testid` of the value. */
  testId?: string;
  /** `data-*` attributes of the whole row (e.g. a test id and a state). */
  rowData?: Record<`data-${string}`, string>;
}

/** A two-column list of labelled values (`<dl>`); empty values show a muted "Not found". */
export function KeyValueList({ items }: { items: KeyValueItem[] }) {
  return (
    <dl className="kv">
      {items.map((item) => {
        const empty = item.value === null || item.value === undefined || item.value === "";
        const classes = ["kv-value", item.mono && !empty ? "mono" : "", empty ? "kv-empty" : ""];
        return (
          <div className="kv-row" key={item.label} {...item.rowData}>
            <dt className="kv-label">{item.label}</dt>
            <dd className={classes.filter(Boolean).join(" ")} data-testid={item.testId}>
              {empty ? "Not found" : item.value}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
