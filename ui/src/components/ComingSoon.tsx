import { Icon, type IconName } from "./Icon";
import "./ComingSoon.css";

/** Props of {@link ComingSoon}. */
export interface ComingSoonProps {
  icon: IconName;
  description: string;
  features: string[];
}

/**
 * Placeholder for a page that is not built yet: it says so plainly, then what the page is
 * planned to show (as plain bullets: ticks would read as "done").
 */
export function ComingSoon({ icon, description, features }: ComingSoonProps) {
  return (
    <div className="coming-soon" data-testid="coming-soon">
      <div className="icon-tile coming-soon-icon">
        <Icon name={icon} size={22} />
      </div>
      <span className="coming-soon-pill">Not built yet</span>
      <p className="coming-soon-description">{description}</p>
      <p className="coming-soon-planned">Planned for this page:</p>
      <ul className="coming-soon-features" aria-label="Planned for this page">
        {features.map((feature) => (
          <li key={feature}>
            <span className="coming-soon-bullet" aria-hidden="true">
              •
            </span>
            <span>{feature}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
