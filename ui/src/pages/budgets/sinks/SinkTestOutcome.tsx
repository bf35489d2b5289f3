import { CodeText } from "../../../components/CodeText";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { Icon } from "../../../components/Icon";
import { Spinner } from "../../../components/Spinner";
import type { SinkTest } from "../../../hooks/useSinkTest";

/**
 * The last Send test of a destination, under it: progress while it runs (up to 10 s), then
 * "delivered" or the reason it was not; nothing before the first test.
 */
export function SinkTestOutcome({ test }: { test: SinkTest }) {
  if (test.error) return <ErrorPanel compact error={test.error} testId="sink-test-error" />;
  if (test.running) {
    return (
      <p className="sink-test" role="status" data-testid="sink-test-running">
        <Spinner />
        Sending a test alert… this can take up to 10 seconds.
      </p>
    );
  }
  if (!test.outcome) return null;
  if (test.outcome.delivered) {
    return (
      <p className="sink-test sink-test-delivered" role="status" data-testid="sink-test-delivered">
        <Icon name="check" size={14} />
        Test alert delivered: check that it arrived.
      </p>
    );
  }
  return (
    <p className="sink-test sink-test-failed" role="status" data-testid="sink-test-failed">
      <Icon name="alert" size={14} />
      <span>
        <strong>Test alert not delivered:</strong> <CodeText text={test.outcome.reason} />
      </span>
    </p>
  );
}
