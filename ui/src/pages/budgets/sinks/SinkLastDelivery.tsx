import type { SinkView } from "../../../backend";
import { CodeText } from "../../../components/CodeText";
import { formatWhen } from "../../../format/time";

/**
 * How the last delivery to a destination went: "Last sent 13:55", the last failure (with its
 * time and reason) highlighted, or "Nothing sent yet".
 */
export function SinkLastDelivery({ sink }: { sink: SinkView }) {
  const when = sink.lastSentMs === null ? "" : ` ${formatWhen(sink.lastSentMs)}`;
  if (sink.lastError) {
    return (
      <p className="sink-last sink-last-failed" data-testid="sink-last-error">
        <strong>Last delivery failed{when}:</strong> <CodeText text={sink.lastError} />
      </p>
    );
  }
  return (
    <p className="sink-last" data-testid="sink-last-sent">
      {sink.lastSentMs === null ? "Nothing sent yet" : `Last sent${when}`}
    </p>
  );
}
