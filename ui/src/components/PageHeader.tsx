import type { ReactNode } from "react";

/** A page's title row: `<h1>`, optional description, optional actions on the right. */
export function PageHeader({
  id,
  title,
  description,
  actions,
}: {
  id?: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 id={id} className="page-title">
          {title}
        </h1>
        {description && <p className="heading-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
