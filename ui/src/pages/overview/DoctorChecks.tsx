import type { DoctorCheck } from "../../backend";
import { Icon } from "../../components/Icon";
import { StatusBadge } from "../../components/StatusBadge";
import { TextWithCode } from "../../components/TextWithCode";
import "./DoctorChecks.css";

/** The doctor's checks in the order given, with a hint under every check that is not ok. */
export function DoctorChecks({ checks }: { checks: DoctorCheck[] }) {
  if (checks.length === 0) return <p className="doctor-checks-empty">No checks were reported.</p>;
  return (
    <ul className="doctor-checks" data-testid="doctor-checks" aria-label="Checks">
      {checks.map((check) => (
        <li key={check.id} className="doctor-check" data-testid={`doctor-check-${check.id}`}>
          <StatusBadge status={check.status} />
          <div className="doctor-check-text">
            <div className="doctor-check-title">{check.title}</div>
            {check.detail && (
              <div className="doctor-check-detail">
                <TextWithCode text={check.detail} />
              </div>
            )}
            {check.status !== "ok" && check.hint && (
              <div className="doctor-check-hint" data-testid="doctor-check-hint">
                <Icon name="bulb" size={13} />
                <span>
                  <TextWithCode text={check.hint} />
                </span>
              </div>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
