import { useId } from "react";
import { Button } from "../../components/Button";
import { pauseUnavailableReason } from "../../format/gateway";
import { useGateways } from "../../hooks/useGateways";

/** Props of {@link PauseAllButton}. */
export interface PauseAllButtonProps {
  onPause: () => void;
  /** A pause is in flight: "Pausing…". */
  running: boolean;
  /** Everything is paused already. */
  allPaused: boolean;
}

/**
 * Pause all, enabled only while the connection to the gateway budgets pause is live (pausing goes
 * through it, as the tray's Pause all does). The gateways are read like the Overview's Gateways
 * card, live; while that one is not live the button says why in its tooltip and description.
 */
export function PauseAllButton({ onPause, running, allPaused }: PauseAllButtonProps) {
  const { state } = useGateways();
  const unavailable = pauseUnavailableReason(state);
  const reasonId = useId();
  const title = allPaused
    ? "Everything is already paused"
    : (unavailable ?? "Pause every agent now, until you resume");
  return (
    // The wrapper carries the tooltip too: some webviews show none over a disabled button.
    <span className="pause-all" title={title}>
      <Button
        icon="pause"
        onClick={onPause}
        disabled={running || allPaused || unavailable !== null}
        title={title}
        aria-describedby={unavailable ? reasonId : undefined}
        data-testid="pause-all"
      >
        {running ? "Pausing…" : "Pause all"}
      </Button>
      {unavailable && (
        <span id={reasonId} className="visually-hidden" data-testid="pause-all-unavailable">
          {unavailable}
        </span>
      )}
    </span>
  );
}
