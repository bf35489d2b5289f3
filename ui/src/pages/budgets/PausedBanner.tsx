import { useId } from "react";
import type { PauseView } from "../../backend";
import { Icon } from "../../components/Icon";
import { useResumeAll } from "../../hooks/useResumeAll";
import { PauseItem } from "./PauseItem";
import { ResumeButton } from "./ResumeButton";
import { ResumeOutcome } from "./ResumeOutcome";
import "./PausedBanner.css";

/**
 * The Budgets page's banner while something is paused: each pause with its reason, time, steps
 * and problems, and Resume with its outcome. A pause keeps its problems both when pausing could
 * not do a step and when a resume could not undo one, so the banner only says that some steps
 * could not be done or undone; {@link ResumeOutcome} is what reports a resume that fell short.
 */
export function PausedBanner({ pauses }: { pauses: PauseView[] }) {
  const resume = useResumeAll();
  const titleId = useId();
  const problems = pauses.some((pause) => pause.problems.length > 0);
  return (
    <section className="paused-banner" aria-labelledby={titleId} data-testid="paused-banner" data-problems={problems}>
      <header className="paused-banner-header">
        <Icon name="pause" size={20} className="paused-banner-icon" />
        <div className="paused-banner-text">
          <h2 id={titleId} className="paused-banner-title">
            Paused
          </h2>
          <p className="paused-banner-lead">
            {problems
              ? "Some steps could not be done or undone: each pause lists them below."
              : "Agents are held until you resume."}
          </p>
        </div>
        <ResumeButton resume={resume} />
      </header>
      <ul className="paused-banner-pauses">
        {pauses.map((pause) => (
          <PauseItem key={pause.id} pause={pause} />
        ))}
      </ul>
      <ResumeOutcome resume={resume} />
    </section>
  );
}
