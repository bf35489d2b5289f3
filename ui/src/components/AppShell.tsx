import type { ReactNode } from "react";
import { Sidebar } from "./Sidebar";
import "./AppShell.css";

/** The window layout: fixed sidebar on the left, scrolling content on the right. */
export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <Sidebar />
      <main className="shell-main">{children}</main>
    </div>
  );
}
