import { ChatWebhookFields } from "./ChatWebhookFields";
import { EmailFields } from "./EmailFields";
import { NtfyFields } from "./NtfyFields";
import type { SinkFieldsProps } from "./sinkForm";
import { TelegramFields } from "./TelegramFields";
import { WebhookFields } from "./WebhookFields";

/** The fields of the chosen destination kind, and only those. */
export function SinkKindFields(props: SinkFieldsProps) {
  const { kind } = props.values;
  switch (kind) {
    case "webhook":
      return <WebhookFields {...props} />;
    case "slack":
    case "discord":
      return <ChatWebhookFields {...props} kind={kind} />;
    case "telegram":
      return <TelegramFields {...props} />;
    case "ntfy":
      return <NtfyFields {...props} />;
    case "email":
      return <EmailFields {...props} />;
  }
}
