import { useId } from "react";
import type { PauseView } from "../../backend";
import { Icon } from "../../components/Icon";
import { useResumeAll } from "../../hooks/useResumeAll";
import { PauseItem } from "./PauseItem";
import { ResumeButton } from "./ResumeButton";
import { ResumeOutcome } from "./ResumeOutcome";
import "./PausedBanner.css";

/** Props of {@link PausedBanner}. */
export interface PausedBannerProps {
  /** The pauses holding now (not empty). */
  pauses: PauseView[];
  /** Called after a resume ran (complete or not), e.g. to refresh the board. */
  onResumed?: () => void;
}

/**
 * The Budgets page's banner while something is paused: each pause with its reason, time, steps
 * and problems ("Partly paused" when a step failed), and Resume with its outcome.
 */
export function PausedBanner({ pauses, onResumed }: PausedBannerProps) {
  const resume = useResumeAll(onResumed);
  const titleId = useId();
  const partly = pauses.some((pause) => pause.problems.length > 0);
  return (
    <section className="paused-banner" aria-labelledby={titleId} data-testid="paused-banner" data-partly={partly}>
      <header className="paused-banner-header">
        <Icon name="pause" size={20} className="paused-banner-icon" />
        <div className="paused-banner-text">
          <h2 id={titleId} className="paused-banner-title">
            {partly ? "Partly paused" : "Paused"}
          </h2>
          <p className="paused-banner-lead">
            {partly
              ? "Not every step worked: some agents may still be running."
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
