import type { ReactNode } from "react";

/** One choice of a {@link ChoiceGroup}. */
export interface Choice<T extends string> {
  value: T;
  label: string;
  description: ReactNode;
}

/** Props of {@link ChoiceGroup}. */
export interface ChoiceGroupProps<T extends string> {
  legend: string;
  /** The radios' `name`. */
  name: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange: (value: T) => void;
  /** Each radio gets `data-testid="<prefix>-<value>"`. */
  testIdPrefix?: string;
  /** More controls at the end of the group (e.g. a checkbox that depends on the choice). */
  children?: ReactNode;
}

/** A fieldset of radios, each with a label and a line saying what it does. */
export function ChoiceGroup<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
  testIdPrefix,
  children,
}: ChoiceGroupProps<T>) {
  return (
    <fieldset className="form-fieldset">
      <legend className="field-legend">{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} className="form-choice">
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
            data-testid={testIdPrefix ? `${testIdPrefix}-${choice.value}` : undefined}
          />
          <span>
            <span className="form-choice-label">{choice.label}</span>
            <span className="form-choice-description">{choice.description}</span>
          </span>
        </label>
      ))}
      {children}
    </fieldset>
  );
}
