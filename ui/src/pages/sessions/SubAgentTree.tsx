import type { AnnounceRun, SessionTree } from "../../backend";
import { StatusBadge } from "../../components/StatusBadge";
import { formatUsd } from "../../format/money";
import { formatCount } from "../../format/number";
import { SESSION_STATUS, sessionSeconds } from "../../format/session";
import { formatDuration } from "../../format/time";

/** Props of {@link SubAgentTree}. */
export interface SubAgentTreeProps {
  tree: SessionTree;
  onOpen: (key: string) => void;
}

/**
 * Who spawned whom, from the topmost session down: each node's status, runtime, own cost, the
 * cost of everything below it, the task a sub-agent was given (two lines, whole on hover) and the
 * run its parent made to report it; a node opens its session.
 */
export function SubAgentTree({ tree, onOpen }: SubAgentTreeProps) {
  return (
    <ul className="subagent-tree" aria-label="Sub-agent tree" data-testid="subagent-tree">
      {tree.nodes.map((node) => {
        const s = node.session;
        const status = SESSION_STATUS[s.status];
        const runtime = sessionSeconds(s);
        const focus = s.key === tree.focus;
        return (
          <li
            key={s.key}
            className={["tree-node", focus && "tree-focus"].filter(Boolean).join(" ")}
            style={{ paddingInlineStart: `calc(${node.depth} * var(--space-6))` }}
            data-testid="tree-node"
            data-key={s.key}
            data-depth={node.depth}
          >
            <button type="button" className="link-button tree-name" onClick={() => onOpen(s.key)} aria-current={focus ? "page" : undefined}>
              {node.depth > 0 && <span aria-hidden="true">↳ </span>}
              {s.agentId} · {s.title}
            </button>
            <StatusBadge status={status.badge} label={status.label} />
            <span className="tree-meta">
              {runtime > 0 && `${formatDuration(runtime)} · `}
              {formatCount(s.calls)} {s.calls === 1 ? "call" : "calls"} · {formatUsd(s.costUsd)}
            </span>
            {node.descendants > 0 && (
              <span className="tree-rollup" data-testid="tree-rollup">
                {formatUsd(node.rolledUpCostUsd)} with {formatCount(node.descendants)} below
              </span>
            )}
            {node.task && (
              <p className="tree-task" title={node.task} data-testid="tree-task">
                Task: {node.task}
              </p>
            )}
            {node.announce && <AnnounceLine run={node.announce} tree={tree} onOpen={onOpen} />}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The announce run that reported a finished sub-agent: where it ran (opens that session), its
 * calls and cost — the parent's own, so not in the sub-agent's roll-up.
 */
function AnnounceLine({ run, tree, onOpen }: { run: AnnounceRun; tree: SessionTree; onOpen: (key: string) => void }) {
  const parent = tree.nodes.find((n) => n.session.key === run.sessionKey)?.session;
  return (
    <p className="tree-announce" data-testid="tree-announce">
      Reported back by an announce run in{" "}
      <button type="button" className="link-button" onClick={() => onOpen(run.sessionKey)}>
        {parent ? `${parent.agentId} · ${parent.title}` : run.sessionKey}
      </button>
      : {formatCount(run.calls)} {run.calls === 1 ? "call" : "calls"} · {formatUsd(run.costUsd)} (in that session's cost)
    </p>
  );
}
