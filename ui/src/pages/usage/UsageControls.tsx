import { useState } from "react";
import type { Granularity, UsageDimension } from "../../backend";
import { Button } from "../../components/Button";
import { SegmentedControl } from "../../components/SegmentedControl";
import { SelectField } from "../../components/SelectField";
import { defaultGranularity, DIMENSIONS, GRANULARITIES, hoursAllowed, USAGE_WINDOWS, type UsageWindow } from "../../format/usage";
import type { UsageMetric } from "./UsageChart";
import type { UsageSettings } from "./settings";

/** Props of {@link UsageControls}. */
export interface UsageControlsProps {
  settings: UsageSettings;
  /** Agents to filter by. */
  agents: string[];
  onChange: (patch: Partial<UsageSettings>) => void;
}

const options = <T extends string>(labels: Readonly<Record<T, string>>) =>
  (Object.entries(labels) as [T, string][]).map(([value, label]) => ({ value, label }));

/** The window (Today … All time, or two dates), how the chart is cut and stacked, and the agent. */
export function UsageControls({ settings, agents, onChange }: UsageControlsProps) {
  const granularities = options(GRANULARITIES).filter(
    (g) => g.value !== "hour" || hoursAllowed(settings.window, settings.since, settings.until),
  );
  const chooseWindow = (window: UsageWindow) => onChange({ window, granularity: defaultGranularity(window) });
  return (
    <div className="usage-controls">
      <div className="usage-control-row">
        <SegmentedControl label="Window" options={options(USAGE_WINDOWS)} value={settings.window} onChange={chooseWindow} testIdPrefix="usage-window" />
        <SegmentedControl<Granularity>
          label="Granularity"
          options={granularities}
          value={settings.granularity}
          onChange={(granularity) => onChange({ granularity })}
          testIdPrefix="usage-every"
        />
        <SegmentedControl<UsageMetric>
          label="Measure"
          options={[
            { value: "cost", label: "Cost" },
            { value: "tokens", label: "Tokens" },
          ]}
          value={settings.metric}
          onChange={(metric) => onChange({ metric })}
          testIdPrefix="usage-metric"
        />
      </div>
      {settings.window === "custom" && <CustomWindow since={settings.since} until={settings.until} onApply={(since, until) => onChange({ since, until })} />}
      <div className="usage-control-row usage-selects">
        <SelectField<UsageDimension> label="Stack by" value={settings.stack} options={DIMENSIONS} onChange={(stack) => onChange({ stack })} testId="usage-stack" />
        <SelectField
          label="Agent"
          value={settings.agent ?? ""}
          options={Object.fromEntries([["", "All agents"], ...agents.map((a) => [a, a])]) as Record<string, string>}
          onChange={(agent) => onChange({ agent: agent || null })}
          testId="usage-agent"
        />
      </div>
    </div>
  );
}

/** Two local dates; applied together, refused when the first is after the second. */
function CustomWindow({ since, until, onApply }: { since: string | null; until: string | null; onApply: (since: string, until: string) => void }) {
  const [from, setFrom] = useState(since ?? "");
  const [to, setTo] = useState(until ?? "");
  const error = from && to && from > to ? "The first day is after the last." : null;
  return (
    <form
      className="usage-control-row usage-custom"
      onSubmit={(e) => {
        e.preventDefault();
        if (from && to && !error) onApply(from, to);
      }}
    >
      <label className="field-label">
        From
        <input className="input" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} data-testid="usage-since" />
      </label>
      <label className="field-label">
        To
        <input className="input" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} data-testid="usage-until" />
      </label>
      <Button type="submit" variant="secondary" disabled={!from || !to || error !== null} data-testid="usage-custom-apply">
        Show
      </Button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
