import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

/** A message per invalid input of a form whose inputs `F` can be invalid. */
export type FormErrors<F extends PropertyKey> = Partial<Record<F, string>>;

/** What checking a form gives: the draft to save, or a message per invalid input. */
export type FormResult<D, F extends PropertyKey> = { ok: true; draft: D } | { ok: false; errors: FormErrors<F> };

/** Props of a group of a form's fields: the form's values, its messages, and a change to make. */
export interface FieldGroupProps<V, F extends keyof V> {
  values: V;
  errors: FormErrors<F>;
  onChange: (patch: Partial<V>) => void;
}

/** What ties one input to a form value; spread it onto a `TextField` or `SelectField`. */
export interface FieldBinding<T> {
  value: T;
  error?: string;
  onChange: (value: T) => void;
  testId: string;
}

/** `fooBar` → `foo-bar`. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Ties a group's inputs to its form: `field("scopeValue")` gives an input that value, its
 * message, the change of that value alone, and the test id `<testIdPrefix>-scope-value`.
 */
export function fieldBinder<V, F extends keyof V>(
  { values, errors, onChange }: FieldGroupProps<V, F>,
  testIdPrefix: string,
): <K extends keyof V & string>(field: K) => FieldBinding<V[K]> {
  const messages: FormErrors<string> = errors;
  return (field) => ({
    value: values[field],
    error: messages[field],
    onChange: (value) => {
      const patch: Partial<V> = {};
      patch[field] = value;
      onChange(patch);
    },
    testId: `${testIdPrefix}-${kebab(field)}`,
  });
}

/** What {@link useFormState} returns. */
export interface FormState<V, F extends keyof V> {
  /** The text of each input, as typed. */
  values: V;
  /** A message per invalid input. */
  errors: FormErrors<F>;
  /** Changes some values and forgets the messages of the inputs changed. */
  change: (patch: Partial<V>) => void;
  /** Shows `errors` and focuses the first invalid input (after a refused submit). */
  refuse: (errors: FormErrors<F>) => void;
  /** Attach to the `<form>`, so {@link FormState.refuse} can find its first invalid input. */
  formRef: RefObject<HTMLFormElement | null>;
}

/**
 * A dialog form's values and validation messages: each change clears the messages of what
 * changed; a refused submit shows the messages and takes the user to the first mistake.
 */
export function useFormState<V extends object, F extends keyof V>(initial: () => V): FormState<V, F> {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const [attempts, setAttempts] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (attempts > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);

  const change = useCallback((patch: Partial<V>) => {
    setValues((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const field of Object.keys(patch)) delete next[field as F];
      return next;
    });
  }, []);

  const refuse = useCallback((next: FormErrors<F>) => {
    setErrors(next);
    setAttempts((n) => n + 1);
  }, []);

  return { values, errors, change, refuse, formRef };
}
