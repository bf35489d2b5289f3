import { useCallback, useState } from "react";
import { useBackend, type ExportFormat } from "../../backend";
import { Button } from "../../components/Button";
import { ErrorPanel } from "../../components/ErrorPanel";
import { useAction } from "../../hooks/useAction";

/** A file name for a session's export: its key, with what a file name cannot hold replaced. */
export function exportName(sessionKey: string, format: ExportFormat): string {
  return `${sessionKey.replace(/[^A-Za-z0-9._-]+/g, "_")}.${format === "json" ? "json" : "md"}`;
}

/** Export JSON / Export Markdown: the whole session (no text cut), saved where the user says. */
export function ExportButtons({ sessionKey }: { sessionKey: string }) {
  const backend = useBackend();
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAction(
    useCallback(
      async (format: ExportFormat) => {
        const content = await backend.sessionExport(sessionKey, format);
        const name = exportName(sessionKey, format);
        return (await backend.saveFile(name, content, format === "json" ? "json" : "md")) ? name : null;
      },
      [backend, sessionKey],
    ),
  );
  const run = (format: ExportFormat) => {
    setSaved(null);
    void save.run(format).then((name) => name && setSaved(name));
  };
  return (
    <div className="export-buttons">
      <Button variant="ghost" disabled={save.running} onClick={() => run("json")} data-testid="export-json">
        Export JSON
      </Button>
      <Button variant="ghost" disabled={save.running} onClick={() => run("markdown")} data-testid="export-markdown">
        Export Markdown
      </Button>
      {save.running && <span className="export-note">Exporting…</span>}
      {saved && (
        <span className="export-note" role="status" data-testid="export-saved">
          Saved {saved}.
        </span>
      )}
      {save.error && <ErrorPanel compact error={save.error} testId="export-error" />}
    </div>
  );
}
