import type { ReactNode } from "react";
import "./Card.css";

/** Props of {@link Card}. */
export interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/** A bordered surface with an optional title row; the building block of every page. */
export function Card({ title, description, actions, className, testId, children }: CardProps) {
  return (
    <section className={["card", className].filter(Boolean).join(" ")} data-testid={testId}>
      {(title !== undefined || actions !== undefined) && (
        <header className="heading-row card-header">
          <div>
            {title && <h2 className="card-title">{title}</h2>}
            {description && <p className="heading-description">{description}</p>}
          </div>
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}
