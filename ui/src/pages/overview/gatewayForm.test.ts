import { describe, expect, it } from "vitest";
import { isUnencrypted, NEW_GATEWAY, validateCredentialForm, validateGatewayForm, type GatewayFormValues } from "./gatewayForm";

const LAN: GatewayFormValues = { ...NEW_GATEWAY, url: "ws://192.168.1.20:18789" };

describe("validateGatewayForm", () => {
  it("builds a draft with a trimmed name and URL and no credential", () => {
    expect(validateGatewayForm({ ...LAN, name: "  Lab ", url: " ws://192.168.1.20:18789 " })).toEqual({
      ok: true,
      draft: { name: "Lab", url: "ws://192.168.1.20:18789", credential: null, allowUnencrypted: false },
    });
  });

  it("sends a trimmed token, a password as typed, and ignores the secret without authentication", () => {
    const token = validateGatewayForm({ ...LAN, auth: "token", secret: " tok-1\n" });
    expect(token).toMatchObject({ ok: true, draft: { credential: { kind: "token", secret: "tok-1" } } });
    const password = validateGatewayForm({ ...LAN, auth: "password", secret: " pass word " });
    expect(password).toMatchObject({ ok: true, draft: { credential: { kind: "password", secret: " pass word " } } });
    expect(validateGatewayForm({ ...LAN, secret: "unused" })).toMatchObject({ ok: true, draft: { credential: null } });
  });

  it("allows unencrypted only for a ws:// URL", () => {
    const plain = validateGatewayForm({ ...LAN, url: "ws://gw.example.com", allowUnencrypted: true });
    expect(plain).toMatchObject({ ok: true, draft: { allowUnencrypted: true } });
    const tls = validateGatewayForm({ ...LAN, url: "wss://gw.example.com", allowUnencrypted: true });
    expect(tls).toMatchObject({ ok: true, draft: { allowUnencrypted: false } });
  });

  it.each<[Partial<GatewayFormValues>, string[]]>([
    [{ url: "" }, ["url"]],
    [{ url: "http://gw.example.com" }, ["url"]],
    [{ url: "gw.example.com:18789" }, ["url"]],
    [{ url: "wss://" }, ["url"]],
    [{ url: "wss:///path" }, ["url"]],
    [{ auth: "token", secret: "  " }, ["secret"]],
    [{ url: "ftp://x", auth: "password", secret: "" }, ["secret", "url"]],
  ])("refuses %j with a message on %j", (change, fields) => {
    const result = validateGatewayForm({ ...LAN, ...change });
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(fields);
  });

  it("accepts ws:// and wss:// in any case, with a port and a path", () => {
    expect(validateGatewayForm({ ...LAN, url: "WSS://gw.example.com:443/openclaw" }).ok).toBe(true);
    expect(validateGatewayForm({ ...LAN, url: "ws://[::1]:18789/" }).ok).toBe(true);
  });
});

describe("validateCredentialForm", () => {
  it("gives the credential to send, or asks for the secret", () => {
    expect(validateCredentialForm({ kind: "token", secret: " abc " })).toEqual({
      ok: true,
      draft: { kind: "token", secret: "abc" },
    });
    expect(validateCredentialForm({ kind: "password", secret: "" })).toEqual({
      ok: false,
      errors: { secret: "Enter the gateway's password." },
    });
    expect(validateCredentialForm({ kind: "token", secret: " " })).toEqual({
      ok: false,
      errors: { secret: "Paste the gateway's token." },
    });
  });
});

describe("isUnencrypted", () => {
  it("tells plain ws:// from wss://", () => {
    expect(isUnencrypted(" ws://gw")).toBe(true);
    expect(isUnencrypted("wss://gw")).toBe(false);
    expect(isUnencrypted("")).toBe(false);
  });
});
