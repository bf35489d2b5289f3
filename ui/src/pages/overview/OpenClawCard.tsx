import { useCallback } from "react";
import { useBackend, type DoctorReport } from "../../backend";
import { Button } from "../../components/Button";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { KeyValueList } from "../../components/KeyValueList";
import { SkeletonLines } from "../../components/SkeletonLines";
import { storageLabel } from "../../format/labels";
import { useAsync } from "../../hooks/useAsync";
import { AgentList } from "./AgentList";
import { DoctorChecks } from "./DoctorChecks";
import { NoOpenClaw } from "./NoOpenClaw";

/**
 * Whether an OpenClaw install was found. The report has no explicit flag: no state dir at all,
 * or a "state-dir" check reporting it missing (the engine still names where it looked), means none.
 */
function installFound(report: DoctorReport): boolean {
  return report.stateDir !== null && !report.checks.some((c) => c.id === "state-dir" && c.status === "missing");
}

function DoctorDetails({ report }: { report: DoctorReport }) {
  return (
    <KeyValueList
      items={[
        { label: "State directory", value: report.stateDir, mono: true, testId: "doctor-state-dir" },
        { label: "Config file", value: report.configPath, mono: true },
        { label: "Storage", value: storageLabel(report.storage), testId: "doctor-storage" },
        { label: "Gateway URL", value: report.gatewayUrl, mono: true, testId: "doctor-gateway" },
        { label: "Agents", value: <AgentList agents={report.agents} /> },
      ]}
    />
  );
}

/**
 * The "OpenClaw" card: what `doctor()` found of the install on this machine (paths, storage,
 * agents, gateway URL) and its checks. Re-check runs the doctor again. The live connections are
 * in the Gateways card.
 */
export function OpenClawCard() {
  const backend = useBackend();
  const load = useCallback(() => backend.doctor(), [backend]);
  const { state, reload } = useAsync(load);

  return (
    <Card
      title="OpenClaw"
      description="The installation Clawtower reads spend from."
      testId="openclaw-card"
      actions={
        <Button variant="ghost" icon="refresh" onClick={reload} disabled={state.status === "loading"}>
          Re-check
        </Button>
      }
    >
      {state.status === "loading" && <SkeletonLines widths={["70%", "55%", "62%", "40%"]} />}
      {state.status === "error" && (
        <ErrorPanel compact error={state.error} onRetry={reload} testId="doctor-error" />
      )}
      {state.status === "ready" && (
        <div className="card-columns">
          <div>
            {installFound(state.data) ? (
              <DoctorDetails report={state.data} />
            ) : (
              <NoOpenClaw lookedAt={state.data.stateDir} />
            )}
          </div>
          <div>
            <h3 className="card-subtitle">Checks</h3>
            <DoctorChecks checks={state.data.checks} />
          </div>
        </div>
      )}
    </Card>
  );
}
