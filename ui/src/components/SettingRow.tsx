import type { ReactNode } from "react";
import "./SettingRow.css";

/** Props of {@link SettingRow}. */
export interface SettingRowProps {
  /** Id of the control, so the label is attached to it. */
  htmlFor?: string;
  label: string;
  description?: ReactNode;
  control: ReactNode;
  /** Shown under the row (e.g. an error after a failed change). */
  footer?: ReactNode;
}

/** One setting: label and description on the left, its control on the right. */
export function SettingRow({ htmlFor, label, description, control, footer }: SettingRowProps) {
  return (
    <div className="setting-row">
      <div className="setting-main">
        <div className="setting-text">
          {htmlFor ? (
            <label className="setting-label" htmlFor={htmlFor}>
              {label}
            </label>
          ) : (
            <div className="setting-label">{label}</div>
          )}
          {description && <p className="setting-description">{description}</p>}
        </div>
        <div className="setting-control">{control}</div>
      </div>
      {footer}
    </div>
  );
}
