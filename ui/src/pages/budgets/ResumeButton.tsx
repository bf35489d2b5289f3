import { Button } from "../../components/Button";
import type { ResumeAllState } from "../../hooks/useResumeAll";

/** The Resume button: "Resuming…" and disabled while it runs. */
export function ResumeButton({ resume }: { resume: ResumeAllState }) {
  return (
    <Button variant="primary" icon="play" onClick={resume.resume} disabled={resume.running} data-testid="resume">
      {resume.running ? "Resuming…" : "Resume"}
    </Button>
  );
}
