import type { ReactNode } from "react";

/** Props of {@link CheckboxChoice}. */
export interface CheckboxChoiceProps {
  label: string;
  description: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  className?: string;
  testId?: string;
}

/** A checkbox with a label and a line saying what it does (laid out like a {@link ChoiceGroup} radio). */
export function CheckboxChoice({
  label,
  description,
  checked,
  onChange,
  disabled,
  className,
  testId,
}: CheckboxChoiceProps) {
  return (
    <label className={["form-choice", className].filter(Boolean).join(" ")}>
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <span>
        <span className="form-choice-label">{label}</span>
        <span className="form-choice-description">{description}</span>
      </span>
    </label>
  );
}
