import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { createFakeBackend, type FakeBackend } from "../test/fakeBackend";
import { installMatchMedia } from "../test/matchMedia";
import { renderWithProviders } from "../test/render";
import { SettingsPage } from "./SettingsPage";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderSettings() {
  return renderWithProviders(<SettingsPage />, { backend });
}

const theme = () => document.documentElement.dataset.theme;

describe("SettingsPage theme", () => {
  it("applies the chosen theme at once and saves it", async () => {
    renderSettings();
    expect(screen.getByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();
    await waitFor(() => expect(backend.getSettings).toHaveBeenCalled());

    await userEvent.click(screen.getByTestId("theme-dark"));

    expect(theme()).toBe("dark");
    expect(backend.setTheme).toHaveBeenCalledWith("dark");
    expect(screen.getByTestId("theme-dark")).toHaveAttribute("aria-checked", "true");

    await userEvent.click(screen.getByTestId("theme-light"));
    expect(theme()).toBe("light");
    expect(backend.setTheme).toHaveBeenLastCalledWith("light");
  });

  it("rolls back and shows the error when saving fails", async () => {
    backend.setTheme.mockRejectedValueOnce(new BackendError("IO", "settings file is read-only"));
    renderSettings();
    await waitFor(() => expect(backend.getSettings).toHaveBeenCalled());

    await userEvent.click(screen.getByTestId("theme-dark"));

    expect(await screen.findByTestId("theme-error")).toHaveTextContent("settings file is read-only");
    expect(theme()).toBe("light");
    expect(screen.getByTestId("theme-system")).toHaveAttribute("aria-checked", "true");
  });

  it("follows the OS scheme live when set to System", async () => {
    const os = installMatchMedia(false);
    renderSettings();
    await waitFor(() => expect(backend.getSettings).toHaveBeenCalled());
    expect(theme()).toBe("light");

    os.setDark(true);
    await waitFor(() => expect(theme()).toBe("dark"));
  });

  it("does not save again when the selected theme is clicked", async () => {
    renderSettings();
    await waitFor(() => expect(backend.getSettings).toHaveBeenCalled());
    await userEvent.click(screen.getByTestId("theme-system"));
    expect(backend.setTheme).not.toHaveBeenCalled();
  });

  it("starts from the theme confirmed on the last run, then the backend's", async () => {
    localStorage.setItem("clawtower.theme", "dark");
    let answer: (s: { theme: "light"; launchAtLogin: boolean }) => void = () => undefined;
    backend.getSettings.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    renderSettings();
    expect(theme()).toBe("dark");

    answer({ theme: "light", launchAtLogin: false });
    await waitFor(() => expect(theme()).toBe("light"));
    expect(localStorage.getItem("clawtower.theme")).toBe("light");
  });

  it("loads the saved theme from the backend at start", async () => {
    backend.getSettings.mockResolvedValue({ theme: "dark", launchAtLogin: false });
    renderSettings();
    await waitFor(() => expect(theme()).toBe("dark"));
    expect(screen.getByTestId("theme-dark")).toHaveAttribute("aria-checked", "true");
  });
});

describe("SettingsPage launch at login", () => {
  it("toggles through the backend", async () => {
    renderSettings();
    const toggle = screen.getByTestId("launch-at-login");
    expect(toggle).toHaveAttribute("role", "switch");
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(toggle).not.toBeChecked();

    await userEvent.click(toggle);

    expect(backend.setLaunchAtLogin).toHaveBeenCalledWith(true);
    await waitFor(() => expect(toggle).toBeChecked());
    expect(screen.queryByTestId("launch-at-login-error")).not.toBeInTheDocument();
  });

  it("queues quick successive clicks so the backend ends with the last choice", async () => {
    renderSettings();
    const toggle = screen.getByTestId("launch-at-login");
    await waitFor(() => expect(backend.getSettings).toHaveBeenCalled());

    await userEvent.click(toggle);
    await userEvent.click(toggle);

    await waitFor(() => expect(backend.setLaunchAtLogin).toHaveBeenCalledTimes(2));
    expect(backend.setLaunchAtLogin.mock.calls).toEqual([[true], [false]]);
    await waitFor(() => expect(toggle).not.toBeChecked());
  });

  it("accepts a click before the settings have loaded", async () => {
    let answer: (s: { theme: "system"; launchAtLogin: boolean }) => void = () => undefined;
    backend.getSettings.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    renderSettings();
    const toggle = screen.getByTestId("launch-at-login");

    await userEvent.click(toggle);
    expect(toggle).toBeChecked();
    await waitFor(() => expect(backend.setLaunchAtLogin).toHaveBeenCalledWith(true));

    // A stale load answer arriving after the save must not flip the switch back.
    answer({ theme: "system", launchAtLogin: false });
    await new Promise((r) => setTimeout(r, 0));
    expect(toggle).toBeChecked();
  });

  it("is optimistic and rolls back with an error message on failure", async () => {
    let fail: (e: unknown) => void = () => undefined;
    backend.setLaunchAtLogin.mockReturnValueOnce(new Promise((_, reject) => (fail = reject)));
    renderSettings();
    const toggle = screen.getByTestId("launch-at-login");
    await waitFor(() => expect(toggle).toBeEnabled());

    await userEvent.click(toggle);
    expect(toggle).toBeChecked();
    await waitFor(() => expect(backend.setLaunchAtLogin).toHaveBeenCalled());

    fail(new BackendError("AUTOSTART", "Login items are managed by your administrator"));

    expect(await screen.findByTestId("launch-at-login-error")).toHaveTextContent("AUTOSTART");
    expect(toggle).not.toBeChecked();
  });
});

describe("SettingsPage about", () => {
  it("shows the version and where data lives", async () => {
    renderSettings();
    expect(await screen.findByTestId("about-version")).toHaveTextContent("0.1.0");
    expect(screen.getByTestId("about-database")).toHaveTextContent("clawtower.db");
    expect(screen.getByText("Desktop app")).toBeInTheDocument();
  });
});
