import { SecretField } from "../../../components/SecretField";
import { fieldBinder } from "../../../hooks/useFormState";
import type { SinkFieldsProps } from "./sinkForm";

const CHATS = {
  slack: {
    placeholder: "https://hooks.slack.com/services/…",
    hint: "An incoming webhook of your Slack app; it carries its key, so it is kept secret.",
  },
  discord: {
    placeholder: "https://discord.com/api/webhooks/…",
    hint: "Channel settings → Integrations → Webhooks; it carries its key, so it is kept secret.",
  },
} as const;

/** The webhook URL (a secret) of a Slack or Discord destination. */
export function ChatWebhookFields({ kind, ...props }: SinkFieldsProps & { kind: keyof typeof CHATS }) {
  const chat = CHATS[kind];
  const field = fieldBinder(props, "sink");
  return <SecretField label="Webhook URL" hint={chat.hint} placeholder={chat.placeholder} {...field("webhookUrl")} />;
}
