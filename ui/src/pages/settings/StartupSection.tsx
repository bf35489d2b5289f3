import { useCallback } from "react";
import { useBackend } from "../../backend";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { SettingRow } from "../../components/SettingRow";
import { Switch } from "../../components/Switch";
import { useSavedSetting } from "../../hooks/useSavedSetting";

/**
 * Settings › Startup: the "Launch Clawtower at login" switch. The switch flips at once
 * (optimistic); if the backend refuses, it flips back and the error is shown under it.
 */
export function StartupSection() {
  const backend = useBackend();
  const load = useCallback(() => backend.getSettings().then((s) => s.launchAtLogin), [backend]);
  const save = useCallback(
    (enabled: boolean) => backend.setLaunchAtLogin(enabled).then((s) => s.launchAtLogin),
    [backend],
  );
  const { state, value, error, set, reload } = useSavedSetting(load, save);

  if (backend.kind === "http") {
    return (
      <Card title="Startup">
        <SettingRow
          label="Launch Clawtower at login"
          description="Set in the desktop app. In the browser, Clawtower runs as long as the clawtower serve service does."
          control={null}
        />
      </Card>
    );
  }

  const footer =
    state.status === "error" ? (
      <ErrorPanel compact error={state.error} onRetry={reload} testId="settings-error" />
    ) : (
      error && <ErrorPanel compact error={error} testId="launch-at-login-error" />
    );

  return (
    <Card title="Startup">
      <SettingRow
        htmlFor="launch-at-login"
        label="Launch Clawtower at login"
        description="Start in the menu bar / tray when you log in, so spend is always counted."
        control={
          // Never disabled: a click while settings load or a save is in flight is queued, not lost.
          <Switch id="launch-at-login" data-testid="launch-at-login" checked={value ?? false} onChange={set} />
        }
        footer={footer}
      />
    </Card>
  );
}
