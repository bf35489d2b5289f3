import { useCallback, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useBackend, type UsageExportFormat } from "../backend";
import { Button } from "../components/Button";
import { Card } from "../components/Card";
import { ErrorPanel } from "../components/ErrorPanel";
import { Page } from "../components/Page";
import { SaveButtons } from "../components/SaveButtons";
import { Skeleton } from "../components/Skeleton";
import { DIMENSIONS, GRANULARITIES, usageQuery } from "../format/usage";
import { routeByName } from "../routes";
import { readSettings, writeSettings, type UsageSettings } from "./usage/settings";
import { UsageChart } from "./usage/UsageChart";
import { UsageControls } from "./usage/UsageControls";
import { UsageStats } from "./usage/UsageStats";
import { UsageTables } from "./usage/UsageTables";
import { useUsageView } from "./usage/useUsageView";
import { WhatIfPicker } from "./usage/WhatIfPicker";
import "./usage/usage.css";

const ROUTE = routeByName("usage");

const EXPORTS = [
  { value: "csv", label: "Export CSV" },
  { value: "json", label: "Export JSON" },
] as const;

/**
 * Usage & cost: spend and tokens over a window, stacked by model, agent, provider or channel;
 * tables per agent, model, provider, session and cron job; what caching saved, which tokens have
 * no price and why, and the same usage priced on another model. Live as calls are stored.
 */
export function UsagePage() {
  const backend = useBackend();
  const [params, setParams] = useSearchParams();
  const settings = readSettings(params);
  const change = (patch: Partial<UsageSettings>) => setParams(writeSettings({ ...settings, ...patch }), { replace: true });
  const query = usageQuery(settings);
  const custom = settings.window === "custom" && (!settings.since || !settings.until);
  const view = useUsageView(query);
  const [agents, setAgents] = useState<string[]>([]);
  const state = view.state;
  // The agents to filter by: those of the latest unfiltered view.
  const seen = state.status === "ready" && !settings.agent ? state.data.agents.map((a) => a.key).sort() : null;
  if (seen !== null && seen.join("\n") !== agents.join("\n")) setAgents(seen);
  const produce = useCallback(
    async (format: UsageExportFormat) => ({
      name: `clawtower-usage-${query.since ?? (query.days ? `last-${query.days}-days` : "all-time")}${query.until ? `-to-${query.until}` : ""}.${format}`,
      content: await backend.usageExport(query, format),
      extension: format,
    }),
    [backend, query],
  );
  return (
    <Page route={ROUTE}>
      <UsageControls settings={settings} agents={settings.agent ? [...new Set([...agents, settings.agent])] : agents} onChange={change} />
      {custom ? (
        <p className="empty-note" data-testid="usage-pick-dates">
          Pick the first and the last day, then Show.
        </p>
      ) : state.status === "loading" ? (
        <UsageSkeleton />
      ) : state.status === "error" ? (
        <div className="usage-error">
          <ErrorPanel error={state.error} onRetry={view.reload} testId="usage-error" />
          {settings.whatIf && (
            <Button variant="ghost" onClick={() => change({ whatIf: null })} data-testid="usage-error-clear-what-if">
              Clear “what if”
            </Button>
          )}
        </div>
      ) : (
        <>
          <UsageStats view={state.data} />
          <Card
            title={`${settings.metric === "cost" ? "Cost" : "Tokens"} per ${GRANULARITIES[state.data.granularity].toLowerCase()}, by ${DIMENSIONS[state.data.stack].toLowerCase()}`}
            description={windowText(state.data.since, state.data.until, state.data.timeZone)}
            actions={<SaveButtons formats={EXPORTS} produce={produce} testIdPrefix="usage-export" />}
            testId="usage-chart-card"
          >
            {state.data.periods.length === 0 || state.data.series.length === 0 ? (
              <p className="empty-note usage-empty" data-testid="usage-empty">
                {settings.window === "all"
                  ? "No model calls recorded yet. Clawtower reads them from OpenClaw's transcripts as your agents run."
                  : "No model calls in this window. Try a longer one, or All time."}
              </p>
            ) : (
              <UsageChart view={state.data} metric={settings.metric} />
            )}
          </Card>
          <Card title="Where it went" actions={<WhatIfPicker key={settings.whatIf ?? ""} value={settings.whatIf} onChange={(whatIf) => change({ whatIf })} />}>
            <UsageTables view={state.data} table={settings.table} onTable={(table) => change({ table })} />
          </Card>
        </>
      )}
    </Page>
  );
}

/** "Nov 4 – Dec 3, 2026 (Europe/Berlin)", "All time (UTC)". */
function windowText(since: string | null, until: string | null, zone: string): string {
  if (!since || !until) return `All time, days in ${zone}`;
  return since === until ? `${since}, in ${zone}` : `${since} to ${until}, days in ${zone}`;
}

function UsageSkeleton() {
  return (
    <div aria-busy="true" data-testid="usage-loading">
      <div className="usage-stats">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} height={84} />
        ))}
      </div>
      <Skeleton height={300} />
    </div>
  );
}
