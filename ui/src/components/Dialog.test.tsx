import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { Dialog } from "./Dialog";

/** A button that opens a dialog with two inputs (the second marked to take focus). */
function Harness({ onClose }: { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Open</button>
      {open && (
        <Dialog
          title="Edit thing"
          description="Change it."
          onClose={() => {
            onClose?.();
            setOpen(false);
          }}
        >
          <input aria-label="First" />
          <input aria-label="Second" data-autofocus />
          <button>Save</button>
        </Dialog>
      )}
    </>
  );
}

describe("Dialog", () => {
  it("is a labelled modal dialog that focuses the data-autofocus element", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByRole("button", { name: "Open" }));

    const dialog = screen.getByRole("dialog", { name: "Edit thing" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveAccessibleDescription("Change it.");
    expect(screen.getByLabelText("Second")).toHaveFocus();
  });

  it("keeps Tab inside, closes on Escape and gives focus back to the opener", async () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    const opener = screen.getByRole("button", { name: "Open" });
    await userEvent.click(opener);

    await userEvent.tab(); // Second → Save
    expect(screen.getByRole("button", { name: "Save" })).toHaveFocus();
    await userEvent.tab(); // wraps to the first focusable: the Close button
    expect(screen.getByRole("button", { name: "Close" })).toHaveFocus();
    await userEvent.tab({ shift: true }); // and back to the last
    expect(screen.getByRole("button", { name: "Save" })).toHaveFocus();

    await userEvent.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it("closes on the close button and on a click on the backdrop, not inside", async () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    await userEvent.click(screen.getByRole("button", { name: "Open" }));
    await userEvent.click(screen.getByLabelText("First"));
    expect(onClose).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalledTimes(1);

    await userEvent.click(screen.getByRole("button", { name: "Open" }));
    const backdrop = screen.getByRole("dialog").parentElement;
    if (backdrop) await userEvent.click(backdrop);
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
