import { useCallback, useState } from "react";
import type { BackendError } from "../backend";
import { useAction } from "./useAction";

/** What {@link useUndoableRemoval} returns. */
export interface UndoableRemoval<T> {
  /** Removes the item at once and keeps it for {@link UndoableRemoval.undo}. */
  remove: (item: T) => void;
  /** Puts the last removed item back. */
  undo: () => void;
  /** Forgets the last removed item (the undo offer expired or was closed). */
  dismiss: () => void;
  /** The last removed item, while undo is offered. */
  removed: T | null;
  removing: boolean;
  restoring: boolean;
  /** Why the last removal or undo failed. */
  error: BackendError | null;
}

/**
 * Delete with undo: `remove` deletes an item and resolves with what to keep for undo (the item
 * as it was), `restore` puts that back; `onChange`, when given, is called after each change
 * (to fetch a list the backend sends no event for). Pass stable (`useCallback`-ed) functions.
 */
export function useUndoableRemoval<T>(
  remove: (item: T) => Promise<T>,
  restore: (item: T) => Promise<unknown>,
  onChange?: () => void,
): UndoableRemoval<T> {
  const [removed, setRemoved] = useState<T | null>(null);
  const removal = useAction(remove);
  const restoral = useAction(restore);
  const { run: runRemove, clearError: clearRemoveError } = removal;
  const { run: runRestore, clearError: clearRestoreError } = restoral;

  const removeItem = useCallback(
    (item: T) => {
      clearRestoreError();
      void runRemove(item).then((gone) => {
        if (gone === undefined) return;
        setRemoved(gone);
        onChange?.();
      });
    },
    [runRemove, clearRestoreError, onChange],
  );

  const undo = useCallback(() => {
    if (removed === null) return;
    clearRemoveError();
    void runRestore(removed).then((result) => {
      if (result === undefined) return;
      setRemoved(null);
      onChange?.();
    });
  }, [removed, runRestore, clearRemoveError, onChange]);

  const dismiss = useCallback(() => setRemoved(null), []);

  return {
    remove: removeItem,
    undo,
    dismiss,
    removed,
    removing: removal.running,
    restoring: restoral.running,
    error: removal.error ?? restoral.error,
  };
}
