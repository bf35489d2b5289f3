import type { PauseView } from "../../backend";
import { Callout } from "../../components/Callout";
import { CodeText } from "../../components/CodeText";
import { Icon } from "../../components/Icon";
import { ProblemList } from "../../components/ProblemList";
import { pauseScopeLabel } from "../../format/budget";
import { formatWhen } from "../../format/time";
import "./PauseItem.css";

/**
 * One pause holding now: why, what it covers, since when, each step taken, and what could not be
 * done when pausing or undone by a resume (the engine keeps both as the pause's problems).
 */
export function PauseItem({ pause }: { pause: PauseView }) {
  return (
    <li className="pause-item" data-testid="pause-item">
      <div className="pause-item-head">
        <strong data-testid="pause-reason">{pause.reason}</strong>
        <span className="pause-item-meta">
          {pauseScopeLabel(pause.scope)} · since{" "}
          <time className="num" dateTime={new Date(pause.startedMs).toISOString()} data-testid="pause-since">
            {formatWhen(pause.startedMs)}
          </time>
        </span>
      </div>
      {pause.steps.length > 0 && (
        <ul className="pause-item-steps" aria-label="What was changed" data-testid="pause-steps">
          {pause.steps.map((step) => (
            <li key={step}>
              <Icon name="check" size={13} className="pause-item-step-icon" />
              <span>
                <CodeText text={step} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {pause.problems.length > 0 && (
        <Callout tone="warn" testId="pause-problems">
          <strong>Some steps could not be done or undone:</strong>
          <ProblemList problems={pause.problems} />
        </Callout>
      )}
    </li>
  );
}
