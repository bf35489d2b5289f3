import { SelectField } from "../../../components/SelectField";
import { TextField } from "../../../components/TextField";
import { SecretField } from "./SecretField";
import { EMAIL_PORTS, type EmailSecurity, type SinkFieldsProps } from "./sinkForm";

const SECURITY_LABELS: Readonly<Record<EmailSecurity, string>> = {
  starttls: "STARTTLS",
  tls: "TLS",
  none: "None",
};

const SECURITY_HINTS: Readonly<Record<EmailSecurity, string>> = {
  starttls: "Usually on port 587.",
  tls: "Usually on port 465.",
  none: "Unencrypted: only to a server on this machine or your own network.",
};

/** An SMTP server (host, port, security), its optional login (the password a secret), and from / to. */
export function EmailFields({ values, errors, onChange }: SinkFieldsProps) {
  // Follow the security's usual port unless the user typed another one.
  const setSecurity = (security: EmailSecurity) =>
    onChange(values.port === EMAIL_PORTS[values.security] ? { security, port: EMAIL_PORTS[security] } : { security });
  return (
    <>
      <div className="form-row">
        <TextField
          label="SMTP server"
          error={errors.host}
          inputClassName="mono"
          spellCheck={false}
          value={values.host}
          placeholder="smtp.example.com"
          onChange={(host) => onChange({ host })}
          testId="sink-host"
        />
        <TextField
          label="Port"
          error={errors.port}
          inputClassName="num"
          inputMode="numeric"
          value={values.port}
          onChange={(port) => onChange({ port })}
          testId="sink-port"
        />
      </div>
      <SelectField
        label="Security"
        hint={SECURITY_HINTS[values.security]}
        value={values.security}
        options={SECURITY_LABELS}
        onChange={setSecurity}
        testId="sink-security"
      />
      <div className="form-row">
        <TextField
          label="Username"
          hint="Optional."
          spellCheck={false}
          value={values.username}
          onChange={(username) => onChange({ username })}
          testId="sink-username"
        />
        <SecretField
          label="Password"
          hint="Optional."
          value={values.password}
          onChange={(password) => onChange({ password })}
          testId="sink-password"
        />
      </div>
      <div className="form-row">
        <TextField
          label="From"
          error={errors.from}
          type="email"
          spellCheck={false}
          value={values.from}
          placeholder="clawtower@example.com"
          onChange={(from) => onChange({ from })}
          testId="sink-from"
        />
        <TextField
          label="To"
          error={errors.to}
          type="email"
          spellCheck={false}
          value={values.to}
          placeholder="you@example.com"
          onChange={(to) => onChange({ to })}
          testId="sink-to"
        />
      </div>
    </>
  );
}
