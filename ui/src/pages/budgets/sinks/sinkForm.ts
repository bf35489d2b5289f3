import type { SinkConfig, SinkDraft } from "../../../backend";
import { parseWhole, U32_MAX } from "../../../format/parse";
import type { SinkKind } from "../../../format/sinks";
import type { FieldGroupProps, FormErrors, FormResult } from "../../../hooks/useFormState";

/** How an email sink talks to its SMTP server. */
export type EmailSecurity = "starttls" | "tls" | "none";

/** What the Add destination form holds: the text of each input, as typed, for every kind. */
export interface SinkFormValues {
  name: string;
  kind: SinkKind;
  /** Seconds between two alerts to this destination. */
  cooldown: string;
  /** Webhook: the URL to POST to. */
  url: string;
  /** Webhook and ntfy: allow private, loopback and link-local addresses. */
  allowPrivate: boolean;
  /** Slack and Discord: the webhook URL (a secret). */
  webhookUrl: string;
  botToken: string;
  chatId: string;
  server: string;
  topic: string;
  /** ntfy: access token (a secret; optional). */
  token: string;
  host: string;
  port: string;
  security: EmailSecurity;
  username: string;
  /** Email: login password (a secret; optional). */
  password: string;
  from: string;
  to: string;
  /** HTTP kinds: a proxy to send through (optional; may carry credentials). */
  proxy: string;
}

/** The inputs that can be invalid. */
export type SinkFormField =
  | "cooldown"
  | "url"
  | "webhookUrl"
  | "botToken"
  | "chatId"
  | "server"
  | "topic"
  | "host"
  | "port"
  | "from"
  | "to"
  | "proxy";

/** Props of the Add destination form's groups of fields. */
export type SinkFieldsProps = FieldGroupProps<SinkFormValues, SinkFormField>;

/** The usual SMTP port of each security mode. */
export const EMAIL_PORTS: Readonly<Record<EmailSecurity, string>> = { starttls: "587", tls: "465", none: "25" };

/** A new destination: Slack, no cooldown, ntfy.sh and STARTTLS on 587 prefilled. */
export const NEW_SINK: Readonly<SinkFormValues> = {
  name: "",
  kind: "slack",
  cooldown: "0",
  url: "",
  allowPrivate: false,
  webhookUrl: "",
  botToken: "",
  chatId: "",
  server: "https://ntfy.sh",
  topic: "",
  token: "",
  host: "",
  port: EMAIL_PORTS.starttls,
  security: "starttls",
  username: "",
  password: "",
  from: "",
  to: "",
  proxy: "",
};

const HTTP_URL = /^https?:\/\/\S+$/;
const HTTPS_URL = /^https:\/\/\S+$/;

/** Trimmed text, or null when empty (optional fields). */
function optional(text: string): string | null {
  return text.trim() || null;
}

/** Builds one kind's config from the form, adding a message to `errors` for each mistake. */
type ConfigBuilder = (values: SinkFormValues, errors: FormErrors<SinkFormField>) => SinkConfig;

const BUILDERS: Readonly<Record<SinkKind, ConfigBuilder>> = {
  webhook: (values, errors) => {
    const url = values.url.trim();
    if (!HTTP_URL.test(url)) errors.url = "Enter the URL to send to, starting with http:// or https://.";
    return { kind: "webhook", url, allowPrivate: values.allowPrivate };
  },
  slack: (values, errors) => {
    const webhookUrl = values.webhookUrl.trim();
    if (!HTTPS_URL.test(webhookUrl)) {
      errors.webhookUrl = "Paste the Slack webhook URL: it starts with https://hooks.slack.com/.";
    }
    return { kind: "slack", webhookUrl };
  },
  discord: (values, errors) => {
    const webhookUrl = values.webhookUrl.trim();
    if (!HTTPS_URL.test(webhookUrl)) {
      errors.webhookUrl = "Paste the Discord webhook URL: it starts with https://discord.com/api/webhooks/.";
    }
    return { kind: "discord", webhookUrl };
  },
  telegram: (values, errors) => {
    const botToken = values.botToken.trim();
    const chatId = values.chatId.trim();
    if (!botToken) errors.botToken = "Paste the bot token @BotFather gave you.";
    if (!chatId) errors.chatId = "Enter the id of the chat to post to.";
    return { kind: "telegram", botToken, chatId };
  },
  ntfy: (values, errors) => {
    const server = values.server.trim().replace(/\/+$/, "");
    const topic = values.topic.trim();
    if (!HTTP_URL.test(server)) errors.server = "Enter the ntfy server, starting with http:// or https://.";
    if (!topic) errors.topic = "Enter the topic to publish to.";
    else if (topic.includes("/")) errors.topic = "Enter the topic name alone, without '/'.";
    return { kind: "ntfy", server, topic, token: optional(values.token), allowPrivate: values.allowPrivate };
  },
  email: (values, errors) => {
    const host = values.host.trim();
    const port = parseWhole(values.port, 1, 65535);
    const from = values.from.trim();
    const to = values.to.trim();
    if (!host) errors.host = "Enter the SMTP server's host name.";
    if (port === undefined) errors.port = "Enter a port from 1 to 65535.";
    if (!from.includes("@")) errors.from = "Enter the sender's email address.";
    if (!to.includes("@")) errors.to = "Enter the recipient's email address.";
    return {
      kind: "email",
      host,
      port: port ?? 0,
      security: values.security,
      username: optional(values.username),
      password: values.password || null,
      from,
      to,
      allowPrivate: values.allowPrivate,
    };
  },
};

/**
 * Checks the form the way the engine will (so most mistakes are caught before saving) and
 * builds the draft with only the chosen kind's fields: URLs start with https:// (Slack,
 * Discord) or http(s):// (webhook, ntfy server), an ntfy topic has no '/', email addresses
 * contain '@' and the port is 1 to 65535; the cooldown is whole seconds; the name and the proxy
 * (http:// or https://, not for email) are optional.
 * Empty optional secrets are sent as null. Passwords are sent as typed (spaces may matter).
 */
export function validateSinkForm(values: SinkFormValues): FormResult<SinkDraft, SinkFormField> {
  const errors: FormErrors<SinkFormField> = {};
  const config = BUILDERS[values.kind](values, errors);
  const cooldownSecs = parseWhole(values.cooldown, 0, U32_MAX);
  if (cooldownSecs === undefined) errors.cooldown = "Enter whole seconds, 0 for no cooldown.";
  // Email goes over SMTP: the proxy field is not shown for it, and not sent.
  const proxy = values.kind === "email" ? null : optional(values.proxy);
  if (proxy !== null && !HTTP_URL.test(proxy)) errors.proxy = "Enter the proxy as http://host:port (or leave it empty).";
  if (cooldownSecs === undefined || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, draft: { name: values.name.trim(), config, cooldownSecs, proxy } };
}
