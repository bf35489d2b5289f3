import { useCallback, useEffect, useState } from "react";
import { useBackend, type ChangedSessions, type SessionRow } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SegmentedControl } from "../../components/SegmentedControl";
import { SessionActions } from "../../components/SessionActions";
import { SkeletonLines } from "../../components/SkeletonLines";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { formatCount } from "../../format/number";
import { SESSION_KINDS, SESSION_STATUS, sessionSeconds } from "../../format/session";
import { formatDuration, formatWhen } from "../../format/time";
import { useAsync } from "../../hooks/useAsync";
import { useBackendEvent, type Subscribe } from "../../hooks/useBackendEvent";
import { useOpenedMark } from "../../hooks/useFirstPaintMark";
import { ExportButtons } from "./ExportButtons";
import { SubAgentTree } from "./SubAgentTree";
import { TimelineView } from "./TimelineView";
import { useTimeline } from "./useTimeline";

/** Props of {@link SessionView}. */
export interface SessionViewProps {
  sessionKey: string;
  entryId: string | null;
  /** Opens a session (another one, or this one at an entry). */
  onOpen: (key: string, entry?: string) => void;
  onBack: () => void;
}

type Tab = "timeline" | "tree";

/** How often a running session's timeline is read again, besides on every gateway event. */
const LIVE_MS = 2_000;

const onActivity: Subscribe<{ sessionKey: string | null }> = (backend, cb) => backend.onGatewayActivity(cb);
const onSessions: Subscribe<ChangedSessions> = (backend, cb) => backend.onSessionsChanged(cb);

/**
 * One session: what it is and what it cost (with its sub-agents), its actions and exports, and
 * its timeline or its sub-agent tree. New entries appear as OpenClaw writes them (the ledger
 * watcher says which transcripts grew; a running session is also read again every 2 s).
 */
export function SessionView({ sessionKey, entryId, onOpen, onBack }: SessionViewProps) {
  const backend = useBackend();
  useOpenedMark("session-timeline", sessionKey);
  const [tab, setTab] = useState<Tab>("timeline");
  const [now] = useState(() => Date.now());
  const tree = useAsync(useCallback(() => backend.sessionTree(sessionKey), [backend, sessionKey]));
  const timeline = useTimeline(sessionKey);
  const node = tree.state.status === "ready" ? tree.state.data.nodes.find((n) => n.session.key === sessionKey) : undefined;
  const row = node?.session;
  const running = row?.status === "running";
  const { refresh: refreshTimeline } = timeline;
  const { refresh: refreshTree } = tree;

  const live = useCallback(() => {
    refreshTimeline();
    refreshTree();
  }, [refreshTimeline, refreshTree]);
  // The timeline alone on the timer (the tree reads every session; events refresh it).
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(refreshTimeline, LIVE_MS);
    return () => clearInterval(timer);
  }, [running, refreshTimeline]);
  const onEvent = useCallback((item: { sessionKey: string | null }) => item.sessionKey === sessionKey && live(), [sessionKey, live]);
  useBackendEvent(onActivity, onEvent, "Live gateway activity");
  const onWritten = useCallback((changed: ChangedSessions) => (changed.many || changed.keys.includes(sessionKey)) && live(), [sessionKey, live]);
  useBackendEvent(onSessions, onWritten, "Live transcripts");

  const descendants = node?.descendants ?? 0;
  return (
    <>
      <Card testId="session-view">
        <div className="session-view-head">
          <Button variant="ghost" onClick={onBack} data-testid="back-to-sessions">
            ← All sessions
          </Button>
          {tree.state.status === "loading" && <SkeletonLines widths={["40%", "60%"]} />}
          {tree.state.status === "error" && <ErrorPanel compact error={tree.state.error} onRetry={tree.reload} testId="session-error" />}
          {row && <SessionFacts row={row} nowMs={now} rolledUp={descendants > 0 ? node.rolledUpCostUsd : null} descendants={descendants} />}
          <code className="session-key" data-testid="session-key">
            {sessionKey}
          </code>
        </div>
        {row && row.status !== "archived" && <SessionActions sessionKey={sessionKey} onDone={live} />}
        <ExportButtons sessionKey={sessionKey} />
      </Card>
      <Card
        testId="session-detail"
        actions={
          <SegmentedControl
            label="View"
            options={[
              { value: "timeline", label: "Timeline" },
              { value: "tree", label: descendants > 0 || node?.parent ? `Sub-agents (${(tree.state.status === "ready" ? tree.state.data.nodes.length : 1) - 1})` : "Sub-agents" },
            ]}
            value={tab}
            onChange={setTab}
            testIdPrefix="session-tab"
          />
        }
      >
        {tab === "tree" && tree.state.status === "ready" && (
          tree.state.data.nodes.length > 1 ? (
            <SubAgentTree tree={tree.state.data} onOpen={(k) => k !== sessionKey && onOpen(k)} />
          ) : (
            <p className="empty-note" data-testid="tree-empty">This session spawned no sub-agent and no session spawned it.</p>
          )
        )}
        {tab === "timeline" && timeline.state.status === "loading" && <SkeletonLines widths={["80%", "65%", "72%", "50%"]} />}
        {tab === "timeline" && timeline.state.status === "error" && (
          <ErrorPanel compact error={timeline.state.error} onRetry={timeline.reload} testId="timeline-error" />
        )}
        {tab === "timeline" && timeline.state.status === "ready" && (
          <TimelineView
            timeline={timeline.state.data}
            entryId={entryId}
            onSelect={(id) => onOpen(sessionKey, id)}
            onOpenSession={(k) => onOpen(k)}
            onLink={(url) => void backend.openLink(url)}
            nowMs={now}
          />
        )}
      </Card>
    </>
  );
}

/** The session's name, status, kind, models, calls, tokens, cost and times. */
function SessionFacts({ row, nowMs, rolledUp, descendants }: { row: SessionRow; nowMs: number; rolledUp: number | null; descendants: number }) {
  const status = SESSION_STATUS[row.status];
  const duration = sessionSeconds(row);
  return (
    <div className="session-facts">
      <h2 className="session-heading" data-testid="session-title">
        <span>
          <span className="session-agent">{row.agentId}</span> · {row.title}
        </span>
        <StatusBadge status={status.badge} label={status.label} testId="session-status" />
      </h2>
      <ul className="list-row-meta">
        <li>{SESSION_KINDS[row.kind]}{row.channel && ` · ${row.channel}`}</li>
        {row.models.length > 0 && <li>{row.models.join(", ")}</li>}
        <li data-testid="session-calls">
          {formatCount(row.calls)} {row.calls === 1 ? "call" : "calls"}
          {row.unbilledCalls > 0 && ` (+${formatCount(row.unbilledCalls)} aborted or failed)`}
        </li>
        <li>{formatCount(row.tokens)} tokens</li>
        <li data-testid="session-cost">{formatUsd(row.costUsd)}</li>
        {rolledUp !== null && (
          <li data-testid="session-rollup">
            {formatUsd(rolledUp)} with its {formatCount(descendants)} sub-{descendants === 1 ? "agent" : "agents"}
          </li>
        )}
        {row.startedMs !== null && <li>started {formatWhen(row.startedMs, nowMs)}</li>}
        {row.lastActivityMs !== null && <li>last activity {formatWhen(row.lastActivityMs, nowMs)}</li>}
        {duration > 0 && <li>{formatDuration(duration)}</li>}
      </ul>
    </div>
  );
}
