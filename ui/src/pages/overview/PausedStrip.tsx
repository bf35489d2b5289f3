import { Link } from "react-router-dom";
import { useBudgetBoard } from "../../board/BudgetBoardContext";
import { Icon } from "../../components/Icon";
import { useResumeAll } from "../../hooks/useResumeAll";
import { routeByName } from "../../routes";
import { ResumeButton } from "../budgets/ResumeButton";
import { ResumeOutcome } from "../budgets/ResumeOutcome";
import "./PausedStrip.css";

const BUDGETS = routeByName("budgets");

/**
 * The Overview's compact notice while something is paused: "Paused — <reason>", a link to the
 * Budgets page for the details, and Resume. Live; shows nothing when nothing is paused or the
 * board cannot be read (the Budgets page shows that error).
 */
export function PausedStrip() {
  const { state } = useBudgetBoard();
  const resume = useResumeAll();
  const pauses = state.status === "ready" ? state.data.pauses : [];
  const [first] = pauses;
  if (!first) return null;
  return (
    <section className="paused-strip" aria-label="Paused" data-testid="paused-strip">
      <div className="paused-strip-line">
        <Icon name="pause" size={18} className="paused-strip-icon" />
        <p className="paused-strip-text">
          <strong>Paused</strong> — <span data-testid="paused-strip-reason">{first.reason}</span>
          {pauses.length > 1 && <span className="paused-strip-more">{` (+${pauses.length - 1} more)`}</span>}
        </p>
        <Link className="paused-strip-link" to={BUDGETS.path} data-testid="paused-strip-link">
          Details
        </Link>
        <ResumeButton resume={resume} />
      </div>
      <ResumeOutcome resume={resume} />
    </section>
  );
}
