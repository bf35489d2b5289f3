import { MonoField } from "./MonoField";
import type { TextFieldProps } from "./TextField";

/** What every secret input says under it. */
const SECRET_NOTE = "Stored on this machine only, never shown again.";

/** Props of {@link SecretField}: a text field's, with `hint` as plain text put before the note. */
export interface SecretFieldProps extends Omit<TextFieldProps, "type" | "hint"> {
  hint?: string;
}

/**
 * A secret (token, password, webhook URL with its key) typed into a password input, with the
 * note that it is stored on this machine only and never shown again.
 */
export function SecretField({ hint, ...props }: SecretFieldProps) {
  return (
    <MonoField
      type="password"
      autoComplete="new-password"
      hint={hint ? `${hint} ${SECRET_NOTE}` : SECRET_NOTE}
      {...props}
    />
  );
}
