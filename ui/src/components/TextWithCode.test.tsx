import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TextWithCode } from "./TextWithCode";

describe("TextWithCode", () => {
  it("shows backticked parts as code, without the backticks, breakable after each slash", () => {
    const { container } = render(<TextWithCode text="Start it with `openclaw gateway run` in `/home/me/.openclaw`." />);
    expect(container.textContent).toBe("Start it with openclaw gateway run in /home/me/.openclaw.");
    const codes = container.querySelectorAll("code");
    expect([...codes].map((c) => c.textContent)).toEqual(["openclaw gateway run", "/home/me/.openclaw"]);
    expect(codes[1].querySelectorAll("wbr")).toHaveLength(3);
  });

  it("keeps an unpaired backtick as written", () => {
    const { container } = render(<TextWithCode text="a `b" />);
    expect(container.textContent).toBe("a `b");
    expect(container.querySelector("code")).toBeNull();
  });
});
