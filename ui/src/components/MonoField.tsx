import { TextField, type TextFieldProps } from "./TextField";

/** A {@link TextField} for machine text (a host, an id, a URL, a token): monospace, no spell check. */
export function MonoField(props: TextFieldProps) {
  return <TextField inputClassName="mono" spellCheck={false} {...props} />;
}
