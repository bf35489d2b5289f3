import { Callout } from "../../components/Callout";
import "./NoOpenClaw.css";

/** Empty state when no OpenClaw install was found: where Clawtower looked and how to point it elsewhere. */
export function NoOpenClaw({ lookedAt }: { lookedAt: string | null }) {
  return (
    <div data-testid="doctor-empty">
      <Callout tone="info" icon="folder">
        <p>
          <strong>No OpenClaw installation found.</strong> Clawtower looked for OpenClaw&rsquo;s state
          directory at <code>{lookedAt ?? "~/.openclaw"}</code>.
        </p>
        <p className="no-openclaw-help">
          If yours lives elsewhere, start Clawtower with <code>OPENCLAW_STATE_DIR</code> set to that
          directory, or with <code>OPENCLAW_HOME</code> set to the home directory OpenClaw runs under
          (the one containing <code>.openclaw</code>), then press Re-check.
        </p>
      </Callout>
    </div>
  );
}
