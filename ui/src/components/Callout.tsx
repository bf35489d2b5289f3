import type { ReactNode } from "react";
import { Icon, type IconName } from "./Icon";
import "./Callout.css";

/** An inline notice (warning or info) with an icon. */
export function Callout({
  tone = "info",
  icon = tone === "warn" ? "alert" : "info",
  testId,
  children,
}: {
  tone?: "info" | "warn";
  icon?: IconName;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div className={`callout callout-${tone}`} data-testid={testId} role={tone === "warn" ? "status" : undefined}>
      <Icon name={icon} size={16} className="callout-icon" />
      <div className="callout-body">{children}</div>
    </div>
  );
}
