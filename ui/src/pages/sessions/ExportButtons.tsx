import { useCallback } from "react";
import { useBackend, type ExportFormat } from "../../backend";
import { SaveButtons } from "../../components/SaveButtons";

/** A file name for a session's export: its key, with what a file name cannot hold replaced. */
export function exportName(sessionKey: string, format: ExportFormat): string {
  return `${sessionKey.replace(/[^A-Za-z0-9._-]+/g, "_")}.${format === "json" ? "json" : "md"}`;
}

const FORMATS = [
  { value: "json", label: "Export JSON" },
  { value: "markdown", label: "Export Markdown" },
] as const;

/** Export JSON / Export Markdown: the whole session (no text cut), saved where the user says. */
export function ExportButtons({ sessionKey }: { sessionKey: string }) {
  const backend = useBackend();
  const produce = useCallback(
    async (format: ExportFormat) => ({
      name: exportName(sessionKey, format),
      content: await backend.sessionExport(sessionKey, format),
      extension: format === "json" ? "json" : "md",
    }),
    [backend, sessionKey],
  );
  return <SaveButtons formats={FORMATS} produce={produce} testIdPrefix="export" />;
}
