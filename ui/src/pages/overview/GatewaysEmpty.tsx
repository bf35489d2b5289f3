import { Button } from "../../components/Button";

/** Empty state of the gateway list: none was found in openclaw.json, and a button to add one by URL. */
export function GatewaysEmpty({ onAdd }: { onAdd: () => void }) {
  return (
    <div className="gateways-empty" data-testid="gateways-empty">
      <p>
        Clawtower follows no gateway: none was found in openclaw.json on this machine. Add one by URL to watch
        its spend live and let budgets pause it.
      </p>
      <Button variant="primary" icon="plus" onClick={onAdd}>
        Add gateway
      </Button>
    </div>
  );
}
