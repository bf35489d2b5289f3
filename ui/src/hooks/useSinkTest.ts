import { useCallback, useState } from "react";
import { useBackend, type BackendError } from "../backend";
import { useAction } from "./useAction";

/** How a test alert went: delivered, or not and why. */
export type SinkTestResult = { delivered: true } | { delivered: false; reason: string };

/** What {@link useSinkTest} returns. */
export interface SinkTest {
  /** Sends a test alert to the destination now. */
  send: () => void;
  /** Whether a test is in flight (it can take up to 10 s). */
  running: boolean;
  /** How the last test went; null before the first one and while one runs. */
  outcome: SinkTestResult | null;
  /** Why the last test could not be run at all (e.g. the destination no longer exists). */
  error: BackendError | null;
}

/** Send test for one alert destination; calls `onDone` after each test that ran (its last delivery changed). */
export function useSinkTest(id: number, onDone?: () => void): SinkTest {
  const backend = useBackend();
  const { run, running, error } = useAction(useCallback(() => backend.testAlertSink(id), [backend, id]));
  const [outcome, setOutcome] = useState<SinkTestResult | null>(null);

  const send = useCallback(() => {
    setOutcome(null);
    void run().then((reason) => {
      if (reason === undefined) return;
      setOutcome(reason === null ? { delivered: true } : { delivered: false, reason });
      onDone?.();
    });
  }, [run, onDone]);

  return { send, running, outcome, error };
}
