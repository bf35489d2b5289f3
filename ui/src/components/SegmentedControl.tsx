import { useRef, type KeyboardEvent } from "react";
import "./SegmentedControl.css";

/** One choice of a {@link SegmentedControl}. */
export interface SegmentOption<T extends string> {
  value: T;
  label: string;
}

/** Props of {@link SegmentedControl}. */
export interface SegmentedControlProps<T extends string> {
  label: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  disabled?: boolean;
  /** Each segment gets `data-testid="<prefix>-<value>"`. */
  testIdPrefix?: string;
}

/**
 * A row of mutually exclusive buttons with radio semantics (`role="radiogroup"`); arrow keys
 * move the selection like native radios.
 */
export function SegmentedControl<T extends string>({
  label,
  options,
  value,
  onChange,
  disabled = false,
  testIdPrefix,
}: SegmentedControlProps<T>) {
  const group = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const index = options.findIndex((o) => o.value === value);
    const next = options[(index + step + options.length) % options.length];
    if (!next) return;
    onChange(next.value);
    group.current?.querySelector<HTMLButtonElement>(`[data-value="${next.value}"]`)?.focus();
  }

  return (
    <div ref={group} className="segmented" role="radiogroup" aria-label={label} onKeyDown={onKeyDown}>
      {options.map((option) => {
        const selected = option.value === value;
        return (
          <button
            key={option.value}
            type="button"
            role="radio"
            aria-checked={selected}
            tabIndex={selected ? 0 : -1}
            disabled={disabled}
            className={selected ? "segment segment-selected" : "segment"}
            data-value={option.value}
            data-testid={testIdPrefix ? `${testIdPrefix}-${option.value}` : undefined}
            onClick={() => !selected && onChange(option.value)}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}
