import { Button } from "../../../components/Button";
import { Icon } from "../../../components/Icon";

/** Empty state of the destination list: alerts go to the desktop only, and an Add button. */
export function SinksEmpty({ onAdd }: { onAdd: () => void }) {
  return (
    <div className="sinks-empty" data-testid="sinks-empty">
      <Icon name="bell" size={18} className="sinks-empty-icon" />
      <div className="sinks-empty-text">
        <p className="sinks-empty-title">Alerts go to the desktop only</p>
        <p>
          Add Slack, Discord, Telegram, ntfy, email or a webhook to get them on your phone or in your team&apos;s
          channel.
        </p>
      </div>
      <Button variant="primary" icon="plus" onClick={onAdd}>
        Add destination
      </Button>
    </div>
  );
}
