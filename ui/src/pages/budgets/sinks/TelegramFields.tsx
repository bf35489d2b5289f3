import { TextField } from "../../../components/TextField";
import { SecretField } from "./SecretField";
import type { SinkFieldsProps } from "./sinkForm";

/** A Telegram bot's token (a secret) and the chat it posts to. */
export function TelegramFields({ values, errors, onChange }: SinkFieldsProps) {
  return (
    <div className="form-row">
      <SecretField
        label="Bot token"
        hint="From @BotFather."
        error={errors.botToken}
        value={values.botToken}
        placeholder="123456:ABC-DEF…"
        onChange={(botToken) => onChange({ botToken })}
        testId="sink-bot-token"
      />
      <TextField
        label="Chat id"
        hint="The chat, group or channel to post to, e.g. 123456789 or @mychannel."
        error={errors.chatId}
        inputClassName="mono"
        spellCheck={false}
        value={values.chatId}
        onChange={(chatId) => onChange({ chatId })}
        testId="sink-chat-id"
      />
    </div>
  );
}
