import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { BackendError, type SinkDraft, type SinkView } from "../../../backend";
import { createFakeBackend, type FakeBackend } from "../../../test/fakeBackend";
import { EMAIL_SINK, SINKS, SLACK_DRAFT } from "../../../test/fixtures";
import { pending } from "../../../test/pending";
import { renderWithProviders } from "../../../test/render";
import { SinksCard } from "./SinksCard";

let backend: FakeBackend;

beforeEach(() => {
  backend = createFakeBackend();
});

function renderCard() {
  return renderWithProviders(<SinksCard />, { backend });
}

const field = (testId: string) => screen.getByTestId(testId);

/** Each destination as [kind label, name, target, cooldown]. */
function rows(): string[][] {
  return screen
    .getAllByTestId("sink-row")
    .map((row) =>
      ["sink-row-kind", "sink-row-name", "sink-row-target", "sink-row-cooldown"].map(
        (id) => within(row).getByTestId(id).textContent ?? "",
      ),
    );
}

function row(name: string): HTMLElement {
  const found = screen
    .getAllByTestId("sink-row")
    .find((r) => within(r).getByTestId("sink-row-name").textContent === name);
  if (!found) throw new Error(`No destination "${name}"`);
  return found;
}

/** Renders the card once its list is there and opens Add destination. */
async function openDialog() {
  renderCard();
  await screen.findAllByTestId("sink-row");
  await userEvent.click(screen.getByTestId("add-sink"));
  return screen.getByRole("dialog", { name: "Add destination" });
}

/** Types each value into the input with that test id. */
async function fill(values: Record<string, string>) {
  for (const [testId, text] of Object.entries(values)) {
    await userEvent.clear(field(testId));
    if (text) await userEvent.type(field(testId), text);
  }
}

const save = (dialog: HTMLElement) => userEvent.click(within(dialog).getByRole("button", { name: "Add destination" }));

/** The test ids of the kind-specific inputs shown now. */
const KIND_FIELDS = [
  "sink-url",
  "sink-allow-private",
  "sink-webhook-url",
  "sink-bot-token",
  "sink-chat-id",
  "sink-server",
  "sink-topic",
  "sink-token",
  "sink-host",
  "sink-port",
  "sink-security",
  "sink-username",
  "sink-password",
  "sink-from",
  "sink-to",
];
const shownFields = () => KIND_FIELDS.filter((id) => screen.queryByTestId(id));

describe("SinksCard list", () => {
  it("shows a skeleton, then each destination with its kind, target, cooldown and last delivery", async () => {
    const list = pending<SinkView[]>();
    backend.alertSinks.mockReturnValueOnce(list.promise);
    renderCard();
    expect(screen.getByTestId("sinks-card")).toHaveTextContent("Alert destinations");
    expect(within(screen.getByTestId("sinks-card")).getByLabelText("Loading")).toBeInTheDocument();

    await list.resolve(SINKS);

    expect(rows()).toEqual([
      ["Slack", "Team Slack", "hooks.slack.com", "At most one alert every 5 min"],
      ["Email", "On-call mail", "oncall@example.com via smtp.example.com", "No cooldown"],
    ]);
    const slack = row("Team Slack");
    expect(within(slack).getByTestId("sink-kind-icon")).toHaveAttribute("data-kind", "slack");
    expect(within(slack).getByTestId("sink-last-sent")).toHaveTextContent(/^Last sent (.+, )?13:55$/);
    expect(within(slack).queryByTestId("sink-last-error")).not.toBeInTheDocument();
    const failed = within(row("On-call mail")).getByTestId("sink-last-error");
    expect(failed).toHaveTextContent(/^Last delivery failed (.+, )?12:05: SMTP 535: authentication failed$/);
    expect(failed).toHaveClass("sink-last-failed");
  });

  it("says nothing was sent yet, and shows an unknown kind by its name", async () => {
    backend.alertSinks.mockResolvedValueOnce([
      { ...EMAIL_SINK, kind: "pager", name: "Pager", lastSentMs: null, lastError: null, cooldownSecs: 5400 },
    ]);
    renderCard();
    await screen.findByTestId("sink-row");
    expect(rows()).toEqual([["pager", "Pager", EMAIL_SINK.target, "At most one alert every 1 h 30 min"]]);
    expect(screen.getByTestId("sink-last-sent")).toHaveTextContent("Nothing sent yet");
  });

  it("shows a destination the engine cannot read with why, without Send test, removable", async () => {
    backend.alertSinks.mockResolvedValueOnce([
      {
        ...EMAIL_SINK,
        kind: "unreadable",
        name: "Old pager",
        target: "",
        lastSentMs: null,
        lastError: "alert sink 9 cannot be read: unknown variant `pager`",
      },
    ]);
    renderCard();
    const row = await screen.findByTestId("sink-row");
    expect(within(row).getByTestId("sink-row-kind")).toHaveTextContent("Cannot be read");
    expect(within(row).getByTestId("sink-last-error")).toHaveTextContent("unknown variant");
    expect(within(row).queryByTestId("sink-test")).not.toBeInTheDocument();
    expect(within(row).getByRole("button", { name: "Remove Old pager" })).toBeInTheDocument();
  });

  it("says alerts go to the desktop only when there are none, with an Add button that opens the dialog", async () => {
    backend.alertSinks.mockResolvedValueOnce([]);
    renderCard();
    const empty = await screen.findByTestId("sinks-empty");
    expect(empty).toHaveTextContent("Alerts go to the desktop only");

    await userEvent.click(within(empty).getByRole("button", { name: "Add destination" }));
    expect(screen.getByRole("dialog", { name: "Add destination" })).toBeInTheDocument();
  });

  it("shows a load failure with Retry, which fetches the list again", async () => {
    backend.alertSinks.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    renderCard();
    const panel = await screen.findByTestId("sinks-error");
    expect(panel).toHaveTextContent("database is locked");

    await userEvent.click(within(panel).getByRole("button", { name: "Retry" }));

    expect(await screen.findAllByTestId("sink-row")).toHaveLength(2);
    expect(screen.queryByTestId("sinks-error")).not.toBeInTheDocument();
  });
});

describe("SinksCard add destination", () => {
  it("opens on the kind and shows only the chosen kind's fields, secrets as password inputs", async () => {
    await openDialog();
    expect(field("sink-kind")).toHaveFocus();
    expect(field("sink-kind")).toHaveValue("slack");
    expect(shownFields()).toEqual(["sink-webhook-url"]);
    expect(field("sink-webhook-url")).toHaveAttribute("type", "password");
    expect(field("sink-webhook-url")).toHaveAccessibleDescription(/Stored on this machine only, never shown again\.$/);

    const expected: Record<string, string[]> = {
      discord: ["sink-webhook-url"],
      telegram: ["sink-bot-token", "sink-chat-id"],
      ntfy: ["sink-allow-private", "sink-server", "sink-topic", "sink-token"],
      email: [
        "sink-host",
        "sink-port",
        "sink-security",
        "sink-username",
        "sink-password",
        "sink-from",
        "sink-to",
        "sink-allow-private",
      ],
      webhook: ["sink-url", "sink-allow-private"],
    };
    for (const [kind, ids] of Object.entries(expected)) {
      await userEvent.selectOptions(field("sink-kind"), kind);
      expect(shownFields().sort()).toEqual([...ids].sort());
    }
    for (const [kind, id] of [
      ["telegram", "sink-bot-token"],
      ["ntfy", "sink-token"],
      ["email", "sink-password"],
    ] as const) {
      await userEvent.selectOptions(field("sink-kind"), kind);
      expect(field(id)).toHaveAttribute("type", "password");
      expect(field(id)).toHaveAccessibleDescription(/Stored on this machine only, never shown again\./);
    }
    expect(field("sink-username")).not.toHaveAttribute("type", "password");
    // A proxy for the HTTP kinds only (email goes over SMTP).
    expect(screen.queryByTestId("sink-proxy")).not.toBeInTheDocument();
    await userEvent.selectOptions(field("sink-kind"), "webhook");
    expect(field("sink-proxy")).toHaveAccessibleDescription(/system's proxy settings are never used/);
  });

  it("explains Allow private/LAN addresses as an SSRF guard, off by default", async () => {
    await openDialog();
    await userEvent.selectOptions(field("sink-kind"), "webhook");
    const allow = field("sink-allow-private");
    expect(allow).not.toBeChecked();
    const label = allow.closest("label");
    expect(label).toHaveTextContent("Allow private/LAN addresses");
    expect(label).toHaveTextContent("server-side request forgery (SSRF)");
  });

  it("checks a Slack webhook URL, then adds the destination, closes and shows it in the list", async () => {
    const dialog = await openDialog();

    await save(dialog);
    const https = "Paste the Slack webhook URL: it starts with https://hooks.slack.com/.";
    expect(within(dialog).getByText(https)).toBeInTheDocument();
    expect(field("sink-webhook-url")).toHaveAttribute("aria-invalid", "true");
    expect(field("sink-webhook-url")).toHaveFocus();

    await fill({ "sink-webhook-url": "http://hooks.slack.com/services/T000/B000/XXXX" });
    expect(within(dialog).queryByText(https)).not.toBeInTheDocument();
    await save(dialog);
    expect(within(dialog).getByText(https)).toBeInTheDocument();
    expect(backend.addAlertSink).not.toHaveBeenCalled();

    await fill({
      "sink-webhook-url": "https://hooks.slack.com/services/T000/B000/XXXX",
      "sink-name": " Team Slack ",
      "sink-cooldown": "300",
    });
    await save(dialog);

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.addAlertSink).toHaveBeenCalledExactlyOnceWith(SLACK_DRAFT);
    await waitFor(() => expect(screen.getAllByTestId("sink-row")).toHaveLength(3));
    expect(rows()[2]).toEqual(["Slack", "Team Slack", "hooks.slack.com", "At most one alert every 5 min"]);
    expect(screen.getByTestId("add-sink")).toHaveFocus();
  });

  it.each<[string, Record<string, string>, string[], SinkDraft["config"]]>([
    [
      "discord",
      { "sink-webhook-url": "https://discord.com/api/webhooks/1/abc" },
      [],
      { kind: "discord", webhookUrl: "https://discord.com/api/webhooks/1/abc" },
    ],
    [
      "telegram",
      { "sink-bot-token": "123:abc", "sink-chat-id": " 42 " },
      ["Paste the bot token @BotFather gave you.", "Enter the id of the chat to post to."],
      { kind: "telegram", botToken: "123:abc", chatId: "42" },
    ],
    [
      "ntfy",
      { "sink-topic": "clawtower" },
      ["Enter the topic to publish to."],
      { kind: "ntfy", server: "https://ntfy.sh", topic: "clawtower", token: null, allowPrivate: false },
    ],
    [
      "webhook",
      { "sink-url": "https://example.com/hooks/abc" },
      ["Enter the URL to send to, starting with http:// or https://."],
      { kind: "webhook", url: "https://example.com/hooks/abc", allowPrivate: false },
    ],
    [
      "email",
      { "sink-host": "smtp.example.com", "sink-from": "claw@example.com", "sink-to": "me@example.com" },
      [
        "Enter the SMTP server's host name.",
        "Enter the sender's email address.",
        "Enter the recipient's email address.",
      ],
      {
        kind: "email",
        host: "smtp.example.com",
        port: 587,
        security: "starttls",
        username: null,
        password: null,
        from: "claw@example.com",
        to: "me@example.com",
        allowPrivate: false,
      },
    ],
  ])("adds a %s destination once its required fields are given", async (kind, values, messages, config) => {
    const dialog = await openDialog();
    await userEvent.selectOptions(field("sink-kind"), kind);
    await save(dialog);
    for (const message of messages) expect(within(dialog).getByText(message)).toBeInTheDocument();

    await fill(values);
    await save(dialog);

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.addAlertSink).toHaveBeenCalledExactlyOnceWith({ name: "", config, cooldownSecs: 0, proxy: null });
  });

  it("checks an ntfy server and topic and sends the token and private-address choice", async () => {
    const dialog = await openDialog();
    await userEvent.selectOptions(field("sink-kind"), "ntfy");
    expect(field("sink-server")).toHaveValue("https://ntfy.sh");
    await fill({ "sink-server": "ntfy.lan", "sink-topic": "team/alerts" });
    await save(dialog);
    expect(within(dialog).getByText("Enter the ntfy server, starting with http:// or https://.")).toBeInTheDocument();
    expect(within(dialog).getByText("Enter the topic name alone, without '/'.")).toBeInTheDocument();
    expect(field("sink-server")).toHaveFocus();

    await fill({ "sink-server": "http://ntfy.lan:8080/", "sink-topic": "alerts", "sink-token": "tk_secret" });
    await userEvent.click(field("sink-allow-private"));
    await save(dialog);

    await waitFor(() => expect(backend.addAlertSink).toHaveBeenCalledTimes(1));
    expect(backend.addAlertSink.mock.calls[0]?.[0].config).toEqual({
      kind: "ntfy",
      server: "http://ntfy.lan:8080",
      topic: "alerts",
      token: "tk_secret",
      allowPrivate: true,
    });
  });

  it("checks an email port and addresses, follows the security's port and sends the login", async () => {
    const dialog = await openDialog();
    await userEvent.selectOptions(field("sink-kind"), "email");
    expect(field("sink-port")).toHaveValue("587");
    await userEvent.selectOptions(field("sink-security"), "tls");
    expect(field("sink-port")).toHaveValue("465");
    await fill({ "sink-host": "smtp.example.com", "sink-port": "70000", "sink-from": "claw", "sink-to": "me@x" });
    await save(dialog);
    expect(within(dialog).getByText("Enter a port from 1 to 65535.")).toBeInTheDocument();
    expect(within(dialog).getByText("Enter the sender's email address.")).toBeInTheDocument();

    await fill({ "sink-port": "2525", "sink-from": "claw@x", "sink-username": "claw", "sink-password": " p4ss " });
    // A port the user typed stays when the security changes.
    await userEvent.selectOptions(field("sink-security"), "starttls");
    expect(field("sink-port")).toHaveValue("2525");
    await save(dialog);

    await waitFor(() => expect(backend.addAlertSink).toHaveBeenCalledTimes(1));
    expect(backend.addAlertSink.mock.calls[0]?.[0].config).toEqual({
      kind: "email",
      host: "smtp.example.com",
      port: 2525,
      security: "starttls",
      username: "claw",
      password: " p4ss ",
      from: "claw@x",
      to: "me@x",
      allowPrivate: false,
    });
  });

  it("checks the cooldown", async () => {
    const dialog = await openDialog();
    await fill({ "sink-webhook-url": "https://hooks.slack.com/services/x", "sink-cooldown": "5 min" });
    await save(dialog);
    expect(within(dialog).getByText("Enter whole seconds, 0 for no cooldown.")).toBeInTheDocument();
    expect(field("sink-cooldown")).toHaveFocus();
    expect(backend.addAlertSink).not.toHaveBeenCalled();
  });

  it("shows the engine's refusal as its sentence, other failures as an error panel, and keeps the dialog", async () => {
    const dialog = await openDialog();
    await fill({ "sink-webhook-url": "https://hooks.slack.com/services/x" });
    backend.addAlertSink.mockRejectedValueOnce(
      new BackendError("INVALID_INPUT", "the Slack webhook URL starts with `https://hooks.slack.com/`"),
    );
    await save(dialog);
    const refused = await within(dialog).findByTestId("sink-form-refused");
    expect(refused).toHaveTextContent("the Slack webhook URL starts with https://hooks.slack.com/");
    expect(within(refused).getByText("https://hooks.slack.com/").tagName).toBe("CODE");

    backend.addAlertSink.mockRejectedValueOnce(new BackendError("STORE_UNAVAILABLE", "database is locked"));
    await save(dialog);
    expect(await within(dialog).findByTestId("sink-form-error")).toHaveTextContent("database is locked");
    expect(within(dialog).queryByTestId("sink-form-refused")).not.toBeInTheDocument();
    expect(screen.getByRole("dialog")).toBeInTheDocument();

    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("sink-row")).toHaveLength(2);
  });
});

describe("SinksCard send test", () => {
  it("shows progress while the test runs, then that it was delivered, and fetches the list again", async () => {
    renderCard();
    await screen.findAllByTestId("sink-row");
    const outcome = pending<string | null>();
    backend.testAlertSink.mockReturnValueOnce(outcome.promise);
    const slack = row("Team Slack");

    await userEvent.click(within(slack).getByRole("button", { name: "Send a test alert to Team Slack" }));

    expect(backend.testAlertSink).toHaveBeenCalledExactlyOnceWith(3);
    const button = within(slack).getByTestId("sink-test");
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Sending…");
    expect(within(button).getByTestId("spinner")).toBeInTheDocument();
    expect(within(slack).getByTestId("sink-test-running")).toHaveTextContent("up to 10 seconds");

    await outcome.resolve(null);

    expect(within(slack).getByTestId("sink-test-delivered")).toHaveTextContent("Test alert delivered");
    expect(within(slack).queryByTestId("sink-test-running")).not.toBeInTheDocument();
    expect(button).toBeEnabled();
    expect(backend.alertSinks).toHaveBeenCalledTimes(2);
  });

  it("shows why a test was not delivered, inline, next to the last error", async () => {
    renderCard();
    await screen.findAllByTestId("sink-row");
    backend.testAlertSink.mockResolvedValueOnce("SMTP 535: authentication failed");

    await userEvent.click(within(row("On-call mail")).getByTestId("sink-test"));

    const failed = await within(row("On-call mail")).findByTestId("sink-test-failed");
    expect(failed).toHaveTextContent("Test alert not delivered: SMTP 535: authentication failed");
    expect(within(row("Team Slack")).queryByTestId("sink-test-failed")).not.toBeInTheDocument();
  });

  it("shows why a test could not run at all", async () => {
    renderCard();
    await screen.findAllByTestId("sink-row");
    backend.testAlertSink.mockRejectedValueOnce(new BackendError("NOT_FOUND", "alert sink 3"));

    await userEvent.click(within(row("Team Slack")).getByTestId("sink-test"));

    expect(await within(row("Team Slack")).findByTestId("sink-test-error")).toHaveTextContent("alert sink 3");
    expect(within(row("Team Slack")).queryByTestId("sink-test-delivered")).not.toBeInTheDocument();
  });
});

describe("SinksCard remove", () => {
  it("asks first, saying it cannot be undone; Cancel keeps the destination, Remove removes it", async () => {
    renderCard();
    await screen.findAllByTestId("sink-row");

    await userEvent.click(screen.getByRole("button", { name: "Remove Team Slack" }));
    let dialog = screen.getByRole("dialog", { name: "Remove “Team Slack”?" });
    expect(dialog).toHaveTextContent("Alerts will no longer go to hooks.slack.com.");
    expect(dialog).toHaveTextContent("This cannot be undone");
    expect(dialog).toHaveTextContent("never shown again");
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(backend.removeAlertSink).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole("button", { name: "Remove Team Slack" }));
    dialog = screen.getByRole("dialog");
    await userEvent.click(within(dialog).getByTestId("confirm"));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.removeAlertSink).toHaveBeenCalledExactlyOnceWith(3);
    await waitFor(() => expect(rows().map((r) => r[1])).toEqual(["On-call mail"]));
  });

  it("shows why a removal failed and keeps the dialog open", async () => {
    backend.removeAlertSink.mockRejectedValueOnce(new BackendError("NOT_FOUND", "alert sink 4"));
    renderCard();
    await screen.findAllByTestId("sink-row");

    await userEvent.click(screen.getByRole("button", { name: "Remove On-call mail" }));
    const dialog = screen.getByRole("dialog");
    await userEvent.click(within(dialog).getByTestId("confirm"));

    expect(await within(dialog).findByTestId("confirm-error")).toHaveTextContent("alert sink 4");
    expect(within(dialog).getByTestId("confirm")).toHaveTextContent("Remove");
    expect(screen.getAllByTestId("sink-row")).toHaveLength(2);
  });
});
