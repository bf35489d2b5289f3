import { useCallback, useState } from "react";
import { useBackend, type SinkView } from "../../../backend";
import { Button } from "../../../components/Button";
import { Card } from "../../../components/Card";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { SkeletonLines } from "../../../components/SkeletonLines";
import { useAsync } from "../../../hooks/useAsync";
import { RemoveSinkDialog } from "./RemoveSinkDialog";
import { SinkDialog } from "./SinkDialog";
import { SinkRow } from "./SinkRow";
import { SinksEmpty } from "./SinksEmpty";
import "./SinksCard.css";

/**
 * The "Alert destinations" card: where alerts go besides the desktop, each with its last
 * delivery, Send test and Remove (confirmed); Add destination; loading, error and empty states.
 */
export function SinksCard() {
  const backend = useBackend();
  const load = useCallback(() => backend.alertSinks(), [backend]);
  const { state, reload, refresh } = useAsync(load);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<SinkView | null>(null);
  const sinks = state.status === "ready" ? state.data : undefined;

  const onSaved = () => {
    setAdding(false);
    refresh();
  };
  const onRemoved = () => {
    setRemoving(null);
    refresh();
  };

  return (
    <Card
      title="Alert destinations"
      description="Every alert also goes to these, besides the desktop notification."
      className="sinks-card"
      testId="sinks-card"
      actions={
        <Button variant="ghost" icon="plus" onClick={() => setAdding(true)} data-testid="add-sink">
          Add destination
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["70%", "55%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="sinks-error" />}
      {sinks?.length === 0 && <SinksEmpty onAdd={() => setAdding(true)} />}
      {sinks && sinks.length > 0 && (
        <ul className="sink-list" data-testid="sink-list" aria-label="Alert destinations">
          {sinks.map((sink) => (
            <SinkRow key={sink.id} sink={sink} onRemove={() => setRemoving(sink)} onTested={refresh} />
          ))}
        </ul>
      )}
      {adding && <SinkDialog onClose={() => setAdding(false)} onSaved={onSaved} />}
      {removing && <RemoveSinkDialog sink={removing} onClose={() => setRemoving(null)} onRemoved={onRemoved} />}
    </Card>
  );
}
