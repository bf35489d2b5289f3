import type { ReactNode, SelectHTMLAttributes } from "react";
import { FormField } from "./FormField";

/** Props of {@link SelectField}. */
export interface SelectFieldProps<T extends string>
  extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "value" | "onChange" | "id" | "className"> {
  label: string;
  hint?: ReactNode;
  error?: string;
  value: T;
  /** Each option's text by value, in the order to offer them. */
  options: Readonly<Record<T, string>>;
  onChange: (value: T) => void;
  testId?: string;
}

/** A labelled `<select>` (with hint and message) over a fixed set of values: a {@link FormField} around it. */
export function SelectField<T extends string>({
  label,
  hint,
  error,
  value,
  options,
  onChange,
  testId,
  ...rest
}: SelectFieldProps<T>) {
  return (
    <FormField label={label} hint={hint} error={error}>
      {(control) => (
        <select
          {...rest}
          {...control}
          className="input"
          value={value}
          onChange={(e) => onChange(e.target.value as T)}
          data-testid={testId}
        >
          {(Object.entries(options) as [T, string][]).map(([option, text]) => (
            <option key={option} value={option}>
              {text}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
