import { useCallback, useId, useState } from "react";
import { useBackend } from "../../backend";
import { Button } from "../../components/Button";

/** Props of {@link WhatIfPicker}. */
export interface WhatIfPickerProps {
  value: string | null;
  onChange: (model: string | null) => void;
}

/**
 * "What if": a model of the price book to price the same usage on. The book's models are loaded
 * when the field is first used and offered as suggestions; a name the book does not price is
 * refused here, before the view asks.
 */
export function WhatIfPicker({ value, onChange }: WhatIfPickerProps) {
  const backend = useBackend();
  const id = useId();
  const [text, setText] = useState(value ?? "");
  const [models, setModels] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (models === null) void backend.priceModels().then(setModels, () => setModels([]));
  }, [backend, models]);
  const apply = () => {
    const name = text.trim();
    if (!name) return onChange(null);
    if (models !== null && models.length > 0 && !models.includes(name)) {
      setError(`${name} is not in the price book: pick one of the suggestions`);
      return;
    }
    setError(null);
    onChange(name);
  };
  return (
    <form
      className="what-if"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label className="field-label" htmlFor={id}>
        What if it ran on
      </label>
      <div className="what-if-row">
        <input
          id={id}
          className="input"
          list={`${id}-models`}
          placeholder="a model, e.g. gpt-4o-mini"
          value={text}
          onFocus={load}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          aria-invalid={error ? true : undefined}
          data-testid="what-if-input"
        />
        <datalist id={`${id}-models`}>
          {(models ?? []).map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <Button variant="ghost" type="submit" data-testid="what-if-apply">
          Price it
        </Button>
        {value && (
          <Button
            variant="ghost"
            type="button"
            onClick={() => {
              setText("");
              onChange(null);
            }}
            data-testid="what-if-clear"
          >
            Clear
          </Button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="what-if-error">
          {error}
        </p>
      )}
    </form>
  );
}
