import { useId, type ReactNode } from "react";
import "./FormField.css";

/** Attributes {@link FormField} gives its control, so the label, hint and error are attached to it. */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/** Props of {@link FormField}. */
export interface FormFieldProps {
  label: string;
  /** Help under the control. */
  hint?: ReactNode;
  /** A validation message; marks the control invalid. */
  error?: string;
  /** Renders the control with the given attributes. */
  children: (control: FieldControlProps) => ReactNode;
  className?: string;
}

/** One labelled form control with an optional hint and validation message. */
export function FormField({ label, hint, error, children, className }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");
  return (
    <div className={["field", className].filter(Boolean).join(" ")}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy || undefined, "aria-invalid": error ? true : undefined })}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
