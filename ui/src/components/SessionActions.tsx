import { useCallback, useState } from "react";
import { useBackend } from "../backend";
import { Button } from "./Button";
import { ConfirmDialog } from "./ConfirmDialog";
import { ErrorPanel } from "./ErrorPanel";
import { TextField } from "./TextField";
import { useAction } from "../hooks/useAction";
import { useAsync } from "../hooks/useAsync";
import "./SessionActions.css";

/** Props of {@link SessionActions}. */
export interface SessionActionsProps {
  /** The session key (`agent:main:main`, `agent:main:subagent:<uuid>`…). */
  sessionKey: string;
  /** Told what happened, after each action (to reload what shows the session). */
  onDone?: (what: string) => void;
}

type Asking = "reset" | "delete" | "label" | null;
type Toggle = "pin" | "unpin" | "archive" | "unarchive";

/**
 * What can be done to a session, wherever one is shown: Stop (its running turn), Kill (a
 * sub-agent, with every session it spawned), Label, Pin / Unpin and Archive / Unarchive
 * (OpenClaw's own flags, read live from the gateway: each undoes the other), Reset and Delete
 * (both asked first: reset starts a new transcript, delete has OpenClaw archive it; the ledger
 * keeps its calls either way).
 */
export function SessionActions({ sessionKey, onDone }: SessionActionsProps) {
  const backend = useBackend();
  const [asking, setAsking] = useState<Asking>(null);
  const [label, setLabel] = useState("");
  const [said, setSaid] = useState<string | null>(null);
  const state = useAsync(useCallback(() => backend.sessionState(sessionKey), [backend, sessionKey]));
  const now = state.state.status === "ready" ? state.state.data : null;
  const action = useAction(
    useCallback(
      async (what: Exclude<Asking, null> | Toggle | "abort" | "kill"): Promise<string> => {
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
            await backend.changeSession(sessionKey, { label: label.trim() });
            return label.trim() ? `Labelled “${label.trim()}”.` : "Label removed.";
          case "pin":
          case "unpin":
            await backend.changeSession(sessionKey, { pinned: what === "pin" });
            return what === "pin" ? "Pinned: OpenClaw lists it first." : "Unpinned.";
          case "archive":
          case "unarchive":
            await backend.changeSession(sessionKey, { archived: what === "archive" });
            return what === "archive"
              ? `Archived in OpenClaw: out of its lists${now?.pinned ? " and unpinned" : ""}, nothing deleted. Unarchive brings it back.`
              : "Back in OpenClaw's lists.";
        }
      },
      [backend, sessionKey, label, now],
    ),
  );
  const { refresh } = state;
  const run = (what: Parameters<typeof action.run>[0]) => {
    setSaid(null);
    void action.run(what).then((result) => {
      if (result === undefined) return;
      setAsking(null);
      setSaid(result);
      refresh();
      onDone?.(result);
    });
  };
  const askLabel = () => {
    setLabel(now?.label ?? "");
    setAsking("label");
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
      <Button variant="ghost" icon="pencil" onClick={askLabel} data-testid="session-label">
        Label
      </Button>
      {now?.canPin && (
        <Button
          variant="ghost"
          icon="pin"
          onClick={() => run(now.pinned ? "unpin" : "pin")}
          disabled={action.running}
          aria-pressed={now.pinned}
          data-testid="session-pin"
        >
          {now.pinned ? "Unpin" : "Pin"}
        </Button>
      )}
      {now?.canArchive && (
        <Button
          variant="ghost"
          icon={now.archived ? "restore" : "archive"}
          onClick={() => run(now.archived ? "unarchive" : "archive")}
          disabled={action.running}
          title={now.archived ? "Back into OpenClaw's session lists" : "Out of OpenClaw's session lists; nothing is deleted"}
          data-testid="session-archive"
        >
          {now.archived ? "Unarchive" : "Archive"}
        </Button>
      )}
      <Button variant="ghost" icon="refresh" onClick={() => setAsking("reset")} data-testid="session-reset">
        Reset
      </Button>
      <Button variant="ghost" icon="trash" onClick={() => setAsking("delete")} data-testid="session-delete">
        Delete
      </Button>
      {now && (now.pinned || now.archived) && (
        <span className="session-flags" data-testid="session-flags">
          {[now.pinned && "Pinned", now.archived && "Archived in OpenClaw"].filter(Boolean).join(" · ")}
        </span>
      )}
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
