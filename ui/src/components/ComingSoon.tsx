import { Icon, type IconName } from "./Icon";
import "./ComingSoon.css";

/** Props of {@link ComingSoon}. */
export interface ComingSoonProps {
  icon: IconName;
  description: string;
  features: string[];
}

/** Placeholder for a page that is not built yet, saying concretely what it will show. */
export function ComingSoon({ icon, description, features }: ComingSoonProps) {
  return (
    <div className="coming-soon" data-testid="coming-soon">
      <div className="icon-tile coming-soon-icon">
        <Icon name={icon} size={22} />
      </div>
      <span className="coming-soon-pill">Coming soon</span>
      <p className="coming-soon-description">{description}</p>
      <ul className="coming-soon-features" aria-label="What this page will show">
        {features.map((feature) => (
          <li key={feature}>
            <Icon name="check" size={14} className="coming-soon-check" />
            <span>{feature}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
