import { createTokenStore } from "./tokenStore";

describe("tokenStore", () => {
  it("keeps one token per host", () => {
    const acme = createTokenStore(window.localStorage, "acme.localhost:8000");
    const beta = createTokenStore(window.localStorage, "beta.localhost:8000");

    acme.set("acme-token");

    expect(acme.get()).toBe("acme-token");
    expect(beta.get()).toBeNull();
  });

  it("notifies subscribers when the token is set or cleared", () => {
    const tokens = createTokenStore(window.localStorage, "acme.localhost:8000");
    const listener = vi.fn();
    tokens.subscribe(listener);

    tokens.set("abc");
    tokens.clear();

    expect(listener).toHaveBeenCalledTimes(2);
    expect(tokens.get()).toBeNull();
  });
});
