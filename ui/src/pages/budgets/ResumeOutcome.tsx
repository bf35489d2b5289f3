import { Callout } from "../../components/Callout";
import { ErrorPanel } from "../../components/ErrorPanel";
import { ProblemList } from "../../components/ProblemList";
import type { ResumeAllState } from "../../hooks/useResumeAll";

/** What went wrong with the last Resume: its error, or what it could not undo; nothing otherwise. */
export function ResumeOutcome({ resume }: { resume: ResumeAllState }) {
  if (resume.error) return <ErrorPanel compact error={resume.error} testId="resume-error" />;
  if (resume.problems.length === 0) return null;
  return (
    <Callout tone="warn" testId="resume-problems">
      <strong>Resume incomplete:</strong> these could not be undone, so some agents may still be held.
      <ProblemList problems={resume.problems} />
    </Callout>
  );
}
