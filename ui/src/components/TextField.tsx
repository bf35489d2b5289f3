import type { InputHTMLAttributes, ReactNode } from "react";
import { FormField } from "./FormField";

/** Props of {@link TextField}. */
export interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "id" | "className"> {
  label: string;
  hint?: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  /** Extra classes of the input, e.g. `mono` or `num`. */
  inputClassName?: string;
  testId?: string;
}

/** A labelled text input (with hint and validation message): a {@link FormField} around an `<input>`. */
export function TextField({ label, hint, error, value, onChange, inputClassName, testId, ...rest }: TextFieldProps) {
  return (
    <FormField label={label} hint={hint} error={error}>
      {(control) => (
        <input
          autoComplete="off"
          {...rest}
          {...control}
          className={["input", inputClassName].filter(Boolean).join(" ")}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      )}
    </FormField>
  );
}
