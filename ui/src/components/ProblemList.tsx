import { CodeText } from "./CodeText";
import "./ProblemList.css";

/** What could not be done, one bulleted line each (backticked spans as code). */
export function ProblemList({ problems }: { problems: readonly string[] }) {
  return (
    <ul className="problem-list">
      {problems.map((problem) => (
        <li key={problem}>
          <CodeText text={problem} />
        </li>
      ))}
    </ul>
  );
}
