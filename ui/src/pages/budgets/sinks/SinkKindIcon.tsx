import { Icon, type IconName } from "../../../components/Icon";
import { isSinkKind, type SinkKind } from "../../../format/sinks";

const ICONS: Readonly<Record<SinkKind, IconName>> = {
  webhook: "link",
  slack: "chat",
  discord: "chat",
  telegram: "send",
  ntfy: "bell",
  email: "mail",
};

/** A destination's kind as an icon in a tile (decorative: the row names the kind in text). */
export function SinkKindIcon({ kind }: { kind: string }) {
  return (
    <span className="icon-tile sink-kind-icon" aria-hidden="true" data-kind={kind} data-testid="sink-kind-icon">
      <Icon name={isSinkKind(kind) ? ICONS[kind] : "bell"} size={16} />
    </span>
  );
}
