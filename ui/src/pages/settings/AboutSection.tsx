import { useCallback } from "react";
import { useBackend, type AppInfo } from "../../backend";
import { Card } from "../../components/Card";
import { ErrorPanel } from "../../components/ErrorPanel";
import { KeyValueList } from "../../components/KeyValueList";
import { SkeletonLines } from "../../components/SkeletonLines";
import { useAsync } from "../../hooks/useAsync";

function AboutDetails({ info, transport }: { info: AppInfo; transport: string }) {
  return (
    <KeyValueList
      items={[
        { label: "Version", value: info.version, mono: true, testId: "about-version" },
        { label: "Platform", value: info.platform },
        { label: "Connection", value: transport },
        { label: "Data directory", value: info.dataDir, mono: true, testId: "about-data-dir" },
        { label: "Database", value: info.databasePath, mono: true, testId: "about-database" },
      ]}
    />
  );
}

/** Settings › About: version, platform and where Clawtower keeps its data. */
export function AboutSection() {
  const backend = useBackend();
  const load = useCallback(() => backend.appInfo(), [backend]);
  const { state, reload } = useAsync(load);
  const transport = backend.kind === "tauri" ? "Desktop app" : "Browser (clawtower serve)";

  return (
    <Card title="About Clawtower">
      {state.status === "loading" && <SkeletonLines widths={["30%", "60%", "50%"]} />}
      {state.status === "error" && <ErrorPanel compact error={state.error} onRetry={reload} testId="about-error" />}
      {state.status === "ready" && <AboutDetails info={state.data} transport={transport} />}
    </Card>
  );
}
