import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

/** What {@link useFormState} returns. */
export interface FormState<V, F extends keyof V> {
  /** The text of each input, as typed. */
  values: V;
  /** A message per invalid input. */
  errors: Partial<Record<F, string>>;
  /** Changes some values and forgets the messages of the inputs changed. */
  change: (patch: Partial<V>) => void;
  /** Shows `errors` and focuses the first invalid input (after a refused submit). */
  refuse: (errors: Partial<Record<F, string>>) => void;
  /** Attach to the `<form>`, so {@link FormState.refuse} can find its first invalid input. */
  formRef: RefObject<HTMLFormElement | null>;
}

/**
 * A dialog form's values and validation messages: each change clears the messages of what
 * changed; a refused submit shows the messages and takes the user to the first mistake.
 */
export function useFormState<V extends object, F extends keyof V>(initial: () => V): FormState<V, F> {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
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

  const refuse = useCallback((next: Partial<Record<F, string>>) => {
    setErrors(next);
    setAttempts((n) => n + 1);
  }, []);

  return { values, errors, change, refuse, formRef };
}
