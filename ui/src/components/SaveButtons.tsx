import { useCallback, useState } from "react";
import { useBackend } from "../backend";
import { useAction } from "../hooks/useAction";
import { Button } from "./Button";
import { ErrorPanel } from "./ErrorPanel";
import "./SaveButtons.css";

/** A file one of the buttons saves. */
export interface SavedFile {
  name: string;
  content: string;
  /** Without the dot: `json`, `md`, `csv`. */
  extension: string;
}

/** Props of {@link SaveButtons}. */
export interface SaveButtonsProps<F extends string> {
  /** One button per format: its value and its text ("Export CSV"). */
  formats: readonly { value: F; label: string }[];
  /** Makes the file of a format (asks the backend). */
  produce: (format: F) => Promise<SavedFile>;
  /** Each button gets `data-testid="<prefix>-<format>"`; the note `<prefix>-saved`, the error `<prefix>-error`. */
  testIdPrefix: string;
}

/**
 * Export buttons: each asks for its file and saves it where the user says (the native save
 * dialog in the app, a download in the browser); says "Saved …" or why it failed.
 */
export function SaveButtons<F extends string>({ formats, produce, testIdPrefix }: SaveButtonsProps<F>) {
  const backend = useBackend();
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAction(
    useCallback(
      async (format: F) => {
        const file = await produce(format);
        return (await backend.saveFile(file.name, file.content, file.extension)) ? file.name : null;
      },
      [backend, produce],
    ),
  );
  const run = (format: F) => {
    setSaved(null);
    void save.run(format).then((name) => name && setSaved(name));
  };
  return (
    <div className="export-buttons">
      {formats.map((f) => (
        <Button key={f.value} variant="ghost" disabled={save.running} onClick={() => run(f.value)} data-testid={`${testIdPrefix}-${f.value}`}>
          {f.label}
        </Button>
      ))}
      {save.running && <span className="export-note">Exporting…</span>}
      {saved && (
        <span className="export-note" role="status" data-testid={`${testIdPrefix}-saved`}>
          Saved {saved}.
        </span>
      )}
      {save.error && <ErrorPanel compact error={save.error} testId={`${testIdPrefix}-error`} />}
    </div>
  );
}
