import type { BackendError } from "../backend";
import { CodeText } from "./CodeText";
import { ErrorPanel } from "./ErrorPanel";
import "./FormFailure.css";

/** Props of {@link FormFailure}. */
export interface FormFailureProps {
  /** Why the last submit failed, or null. */
  error: BackendError | null;
  /** Test ids: `<prefix>-refused` for a refusal, `<prefix>-error` for any other failure. */
  testIdPrefix: string;
}

/**
 * Why a dialog's form could not be saved: what the engine refused (INVALID_INPUT) as its own
 * sentence, any other failure as a compact error panel; nothing without an error.
 */
export function FormFailure({ error, testIdPrefix }: FormFailureProps) {
  if (!error) return null;
  if (error.code !== "INVALID_INPUT") return <ErrorPanel compact error={error} testId={`${testIdPrefix}-error`} />;
  return (
    <p className="field-error form-refused" role="alert" data-testid={`${testIdPrefix}-refused`}>
      <CodeText text={error.message} />
    </p>
  );
}
