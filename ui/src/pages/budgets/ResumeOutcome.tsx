import { Callout } from "../../components/Callout";
import { CodeText } from "../../components/CodeText";
import { ErrorPanel } from "../../components/ErrorPanel";
import type { ResumeAllState } from "../../hooks/useResumeAll";
import "./ResumeOutcome.css";

/** What went wrong with the last Resume: its error, or what it could not undo; nothing otherwise. */
export function ResumeOutcome({ resume }: { resume: ResumeAllState }) {
  if (resume.error) return <ErrorPanel compact error={resume.error} testId="resume-error" />;
  if (resume.problems.length === 0) return null;
  return (
    <Callout tone="warn" testId="resume-problems">
      <strong>Resume incomplete:</strong> these could not be undone, so some agents may still be held.
      <ul className="resume-problems">
        {resume.problems.map((problem) => (
          <li key={problem}>
            <CodeText text={problem} />
          </li>
        ))}
      </ul>
    </Callout>
  );
}
