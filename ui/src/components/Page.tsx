import type { ReactNode } from "react";
import type { RouteDef } from "../routes";
import { PageHeader } from "./PageHeader";
import "./Page.css";

/** Props of {@link Page}. */
export interface PageProps {
  /** The page's route: gives the test id (`page-<name>`), the `<h1>` and the description. */
  route: RouteDef;
  /** Shown on the right of the header. */
  actions?: ReactNode;
  children: ReactNode;
}

/** Root of every page: test id, header with the `<h1>`, and the page body. */
export function Page({ route, actions, children }: PageProps) {
  const titleId = `page-title-${route.name}`;
  return (
    <section className="page" data-testid={`page-${route.name}`} aria-labelledby={titleId}>
      <PageHeader id={titleId} title={route.title} description={route.summary} actions={actions} />
      <div className="page-body">{children}</div>
    </section>
  );
}
