import { useCallback, useState } from "react";
import { useBackend } from "../backend";
import { Button } from "./Button";
import { ConfirmDialog } from "./ConfirmDialog";
import { ErrorPanel } from "./ErrorPanel";
import { TextField } from "./TextField";
import { useAction } from "../hooks/useAction";

/** Props of {@link SessionActions}. */
export interface SessionActionsProps {
  /** The session key (`agent:main:main`, `agent:main:subagent:<uuid>`…). */
  sessionKey: string;
  /** Told what happened, after each action (to reload what shows the session). */
  onDone?: (what: string) => void;
}

type Asking = "reset" | "delete" | "label" | null;

/**
 * What can be done to a session, wherever one is shown: Stop (its running turn), Kill (a
 * sub-agent, with every session it spawned), Label, Reset and Delete (both asked first: reset
 * starts a new transcript, delete has OpenClaw archive it; the ledger keeps its calls either way).
 */
export function SessionActions({ sessionKey, onDone }: SessionActionsProps) {
  const backend = useBackend();
  const [asking, setAsking] = useState<Asking>(null);
  const [label, setLabel] = useState("");
  const [said, setSaid] = useState<string | null>(null);
  const action = useAction(
    useCallback(
      async (what: Exclude<Asking, null> | "abort" | "kill"): Promise<string> => {
        switch (what) {
          case "abort":
            return (await backend.abortSession(sessionKey)) ? "Its run was stopped." : "Nothing was running.";
          case "kill": {
            const n = await backend.killSession(sessionKey);
            return n === 1 ? "1 run stopped." : `${n} runs stopped.`;
          }
          case "reset":
            await backend.resetSession(sessionKey);
            return "A new transcript starts.";
          case "delete":
            await backend.deleteSession(sessionKey);
            return "Deleted; OpenClaw archived its transcript.";
          case "label":
            await backend.changeSession(sessionKey, { label: label.trim(), pinned: null });
            return label.trim() ? `Labelled “${label.trim()}”.` : "Label removed.";
        }
      },
      [backend, sessionKey, label],
    ),
  );
  const run = (what: Parameters<typeof action.run>[0]) => {
    setSaid(null);
    void action.run(what).then((result) => {
      if (result === undefined) return;
      setAsking(null);
      setSaid(result);
      onDone?.(result);
    });
  };
  const subAgent = sessionKey.includes(":subagent:");
  return (
    <div className="session-actions" data-testid="session-actions">
      <Button variant="ghost" icon="pause" onClick={() => run("abort")} disabled={action.running} data-testid="session-abort">
        Stop
      </Button>
      {subAgent && (
        <Button variant="ghost" icon="close" onClick={() => run("kill")} disabled={action.running} data-testid="session-kill">
          Kill
        </Button>
      )}
      <Button variant="ghost" icon="pencil" onClick={() => setAsking("label")} data-testid="session-label">
        Label
      </Button>
      <Button variant="ghost" icon="refresh" onClick={() => setAsking("reset")} data-testid="session-reset">
        Reset
      </Button>
      <Button variant="ghost" icon="trash" onClick={() => setAsking("delete")} data-testid="session-delete">
        Delete
      </Button>
      {said && (
        <span role="status" data-testid="session-action-done">
          {said}
        </span>
      )}
      {action.error && asking === null && <ErrorPanel compact error={action.error} testId="session-action-error" />}
      {asking === "label" && (
        <ConfirmDialog
          title="Label the session"
          confirmLabel="Save"
          busyLabel="Saving…"
          busy={action.running}
          error={action.error}
          onCancel={() => setAsking(null)}
          onConfirm={() => run("label")}
          testId="session-label-dialog"
        >
          <TextField label="Label" hint="Empty removes it." value={label} onChange={setLabel} testId="session-label-text" />
        </ConfirmDialog>
      )}
      {(asking === "reset" || asking === "delete") && (
        <ConfirmDialog
          title={asking === "reset" ? "Reset the session?" : "Delete the session?"}
          confirmLabel={asking === "reset" ? "Reset" : "Delete"}
          busyLabel={asking === "reset" ? "Resetting…" : "Deleting…"}
          busy={action.running}
          error={action.error}
          onCancel={() => setAsking(null)}
          onConfirm={() => run(asking)}
          testId={`session-${asking}-dialog`}
        >
          <p>
            {asking === "reset"
              ? "The agent starts a fresh transcript for this session; OpenClaw keeps the old one."
              : "OpenClaw removes the session and archives its transcript."}{" "}
            Its calls and cost stay in the ledger.
          </p>
          <p className="mono">{sessionKey}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
