import { MonoField } from "../../../components/MonoField";
import { SecretField } from "../../../components/SecretField";
import { fieldBinder } from "../../../hooks/useFormState";
import type { SinkFieldsProps } from "./sinkForm";

/** A Telegram bot's token (a secret) and the chat it posts to. */
export function TelegramFields(props: SinkFieldsProps) {
  const field = fieldBinder(props, "sink");
  return (
    <div className="form-row">
      <SecretField label="Bot token" hint="From @BotFather." placeholder="123456:ABC-DEF…" {...field("botToken")} />
      <MonoField
        label="Chat id"
        hint="The chat, group or channel to post to, e.g. 123456789 or @mychannel."
        {...field("chatId")}
      />
    </div>
  );
}
