import type { SinkView } from "../../../backend";
import { Button } from "../../../components/Button";
import { Spinner } from "../../../components/Spinner";
import { cooldownPhrase, sinkKindLabel, UNREADABLE_SINK_KIND } from "../../../format/sinks";
import { useSinkTest } from "../../../hooks/useSinkTest";
import { SinkKindIcon } from "./SinkKindIcon";
import { SinkLastDelivery } from "./SinkLastDelivery";
import { SinkTestOutcome } from "./SinkTestOutcome";
import "./SinkRow.css";

/** Props of {@link SinkRow}. */
export interface SinkRowProps {
  sink: SinkView;
  /** Asks to remove the destination (the caller confirms first). */
  onRemove: () => void;
  /** Called after a test ran, e.g. to fetch the list again (its last delivery changed). */
  onTested?: () => void;
}

/**
 * One alert destination: its kind, name, where it goes (secrets left out), its cooldown and how
 * the last delivery went; Send test (with progress and its outcome) and Remove. One the engine
 * cannot read shows why, and can only be removed.
 */
export function SinkRow({ sink, onRemove, onTested }: SinkRowProps) {
  const test = useSinkTest(sink.id, onTested);
  return (
    <li className="list-row sink-row" data-testid="sink-row" data-kind={sink.kind}>
      <SinkKindIcon kind={sink.kind} />
      <div className="list-row-main">
        <div className="list-row-head">
          <span className="list-row-name" data-testid="sink-row-name">
            {sink.name}
          </span>
          <span className="sink-row-kind" data-testid="sink-row-kind">
            {sinkKindLabel(sink.kind)}
          </span>
        </div>
        <ul className="list-row-meta">
          <li className="mono" data-testid="sink-row-target">
            {sink.target}
          </li>
          {sink.proxy && (
            <li className="mono" data-testid="sink-row-proxy">
              via {sink.proxy}
            </li>
          )}
          <li data-testid="sink-row-cooldown">{cooldownPhrase(sink.cooldownSecs)}</li>
        </ul>
        <SinkLastDelivery sink={sink} />
        <SinkTestOutcome test={test} />
      </div>
      <div className="list-row-actions">
        {sink.kind !== UNREADABLE_SINK_KIND && (
          <Button
            variant="ghost"
            icon={test.running ? undefined : "send"}
            onClick={test.send}
            disabled={test.running}
            aria-label={`Send a test alert to ${sink.name}`}
            data-testid="sink-test"
          >
            {test.running && <Spinner size={12} />}
            {test.running ? "Sending…" : "Send test"}
          </Button>
        )}
        <Button variant="ghost" icon="trash" onClick={onRemove} aria-label={`Remove ${sink.name}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}
