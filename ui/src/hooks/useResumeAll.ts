import { useCallback, useState } from "react";
import { useBackend, type BackendError } from "../backend";
import { useAction } from "./useAction";

/** What {@link useResumeAll} returns. */
export interface ResumeAllState {
  /** Lifts every pause. */
  resume: () => void;
  running: boolean;
  /** Why the last resume failed outright. */
  error: BackendError | null;
  /** What the last resume could not undo (empty when it was complete or has not run). */
  problems: string[];
}

/**
 * The Resume action: lifts every pause and keeps what it could not undo. The board follows by
 * itself (the backend pushes `budget-board-changed`).
 */
export function useResumeAll(): ResumeAllState {
  const backend = useBackend();
  const resumeAll = useCallback(() => backend.resumeAll(), [backend]);
  const { run, running, error } = useAction(resumeAll);
  const [problems, setProblems] = useState<string[]>([]);

  const resume = useCallback(() => {
    setProblems([]);
    void run().then((resumed) => {
      if (resumed === undefined) return;
      setProblems(resumed.flatMap((pause) => pause.problems));
    });
  }, [run]);

  return { resume, running, error, problems };
}
