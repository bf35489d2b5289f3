import { describe, expect, it } from "vitest";
import { NEW_SINK, validateSinkForm, type SinkFormValues } from "./sinkForm";

const SLACK: SinkFormValues = { ...NEW_SINK, webhookUrl: "https://hooks.slack.com/services/T/B/X" };

describe("validateSinkForm", () => {
  it("builds a draft with only the chosen kind's fields, a trimmed name and whole-second cooldown", () => {
    expect(validateSinkForm({ ...SLACK, name: "  Team ", cooldown: " 300 ", botToken: "ignored" })).toEqual({
      ok: true,
      draft: {
        name: "Team",
        config: { kind: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/X" },
        cooldownSecs: 300,
        proxy: null,
      },
    });
  });

  it("sends a proxy for the HTTP kinds, checks it, and never for email", () => {
    expect(validateSinkForm({ ...SLACK, proxy: " http://u:p@proxy.corp:3128 " })).toMatchObject({
      ok: true,
      draft: { proxy: "http://u:p@proxy.corp:3128" },
    });
    expect(validateSinkForm({ ...SLACK, proxy: "proxy.corp:3128" })).toEqual({
      ok: false,
      errors: { proxy: "Enter the proxy as http://host:port (or leave it empty)." },
    });
    const email = { ...NEW_SINK, kind: "email" as const, host: "smtp.x", from: "a@x", to: "b@x", proxy: "http://proxy:3128" };
    expect(validateSinkForm(email)).toMatchObject({ ok: true, draft: { proxy: null } });
  });

  it("sends empty optional secrets and logins as null", () => {
    const ntfy = validateSinkForm({ ...NEW_SINK, kind: "ntfy", topic: "alerts", token: "  " });
    expect(ntfy).toMatchObject({ ok: true, draft: { config: { token: null, server: "https://ntfy.sh" } } });
    const email = validateSinkForm({ ...NEW_SINK, kind: "email", host: "smtp", from: "a@x", to: "b@x", username: " " });
    expect(email).toMatchObject({ ok: true, draft: { config: { username: null, password: null, port: 587 } } });
  });

  it.each<[Partial<SinkFormValues>, string[]]>([
    [{ webhookUrl: "" }, ["webhookUrl"]],
    [{ webhookUrl: "http://hooks.slack.com/x" }, ["webhookUrl"]],
    [{ kind: "discord", webhookUrl: "discord.com/api/webhooks/1" }, ["webhookUrl"]],
    [{ kind: "webhook", url: "ftp://example.com" }, ["url"]],
    [{ kind: "webhook", url: "https://" }, ["url"]],
    [{ kind: "telegram", botToken: " ", chatId: "" }, ["botToken", "chatId"]],
    [{ kind: "ntfy", server: "ntfy.sh", topic: "a/b" }, ["server", "topic"]],
    [{ kind: "email", host: "", port: "0", from: "me", to: "you" }, ["from", "host", "port", "to"]],
    [{ kind: "email", host: "smtp", port: "65536", from: "a@x", to: "b@x" }, ["port"]],
    [{ cooldown: "-1" }, ["cooldown"]],
    [{ cooldown: "1.5" }, ["cooldown"]],
  ])("refuses %j with a message on %j", (change, fields) => {
    const result = validateSinkForm({ ...SLACK, ...change });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(fields);
  });

  it("accepts http:// for a webhook and an ntfy server, and the port bounds", () => {
    expect(validateSinkForm({ ...NEW_SINK, kind: "webhook", url: "http://10.0.0.2/hook" }).ok).toBe(true);
    expect(validateSinkForm({ ...NEW_SINK, kind: "ntfy", server: "http://ntfy.lan", topic: "t" }).ok).toBe(true);
    const email = { ...NEW_SINK, kind: "email" as const, host: "h", from: "a@x", to: "b@x" };
    expect(validateSinkForm({ ...email, port: "1" }).ok).toBe(true);
    expect(validateSinkForm({ ...email, port: "65535" }).ok).toBe(true);
  });
});
