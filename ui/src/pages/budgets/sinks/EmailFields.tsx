import { MonoField } from "../../../components/MonoField";
import { SecretField } from "../../../components/SecretField";
import { SelectField } from "../../../components/SelectField";
import { TextField } from "../../../components/TextField";
import { fieldBinder } from "../../../hooks/useFormState";
import { AllowPrivateField } from "./AllowPrivateField";
import { EMAIL_PORTS, type EmailSecurity, type SinkFieldsProps } from "./sinkForm";

const SECURITY_LABELS: Readonly<Record<EmailSecurity, string>> = {
  starttls: "STARTTLS",
  tls: "TLS",
  none: "None",
};

const SECURITY_HINTS: Readonly<Record<EmailSecurity, string>> = {
  starttls: "Usually on port 587.",
  tls: "Usually on port 465.",
  none: "Unencrypted: only to a server on this machine or your own network (allow private addresses below).",
};

/** An SMTP server (host, port, security), its optional login (the password a secret), and from / to. */
export function EmailFields(props: SinkFieldsProps) {
  const { values, onChange } = props;
  const field = fieldBinder(props, "sink");
  // Follow the security's usual port unless the user typed another one.
  const setSecurity = (security: EmailSecurity) =>
    onChange(values.port === EMAIL_PORTS[values.security] ? { security, port: EMAIL_PORTS[security] } : { security });
  return (
    <>
      <div className="form-row">
        <MonoField label="SMTP server" placeholder="smtp.example.com" {...field("host")} />
        <TextField label="Port" inputClassName="num" inputMode="numeric" {...field("port")} />
      </div>
      <SelectField
        label="Security"
        hint={SECURITY_HINTS[values.security]}
        options={SECURITY_LABELS}
        {...field("security")}
        onChange={setSecurity}
      />
      <div className="form-row">
        <TextField label="Username" hint="Optional." spellCheck={false} {...field("username")} />
        <SecretField label="Password" hint="Optional." {...field("password")} />
      </div>
      <div className="form-row">
        <TextField
          label="From"
          type="email"
          spellCheck={false}
          placeholder="clawtower@example.com"
          {...field("from")}
        />
        <TextField label="To" type="email" spellCheck={false} placeholder="you@example.com" {...field("to")} />
      </div>
      <AllowPrivateField {...props} />
    </>
  );
}
