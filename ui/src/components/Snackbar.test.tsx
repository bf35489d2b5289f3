import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Snackbar } from "./Snackbar";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Snackbar", () => {
  it("announces its message, runs its action and dismisses itself after the timeout", () => {
    const onAction = vi.fn();
    const onDismiss = vi.fn();
    render(<Snackbar message="Budget removed" actionLabel="Undo" onAction={onAction} onDismiss={onDismiss} />);

    expect(screen.getByRole("status")).toHaveTextContent("Budget removed");
    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(onAction).toHaveBeenCalledTimes(1);

    act(() => {
      vi.advanceTimersByTime(7999);
    });
    expect(onDismiss).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it("restarts the timer for a new message but not for a new onDismiss", () => {
    const first = vi.fn();
    const second = vi.fn();
    const snackbar = (message: string, onDismiss: () => void) => (
      <Snackbar message={message} actionLabel="Undo" onAction={vi.fn()} onDismiss={onDismiss} timeoutMs={1000} />
    );
    const { rerender } = render(snackbar("A removed", first));
    act(() => {
      vi.advanceTimersByTime(600);
    });
    rerender(snackbar("A removed", second));
    act(() => {
      vi.advanceTimersByTime(400);
    });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);

    rerender(snackbar("B removed", second));
    act(() => {
      vi.advanceTimersByTime(999);
    });
    expect(second).toHaveBeenCalledTimes(1);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(second).toHaveBeenCalledTimes(2);
  });

  it("dismisses on its close button and disables the action while busy", () => {
    const onDismiss = vi.fn();
    render(<Snackbar message="Removed" actionLabel="Undo" onAction={vi.fn()} onDismiss={onDismiss} busy />);
    expect(screen.getByRole("button", { name: "Undo" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });
});
