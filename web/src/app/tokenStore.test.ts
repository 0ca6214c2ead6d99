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

  it("follows a sign-out in another tab and says so", () => {
    const tokens = createTokenStore(window.localStorage, "acme.localhost:8000", window);
    tokens.set("abc");
    const listener = vi.fn();
    tokens.subscribe(listener);

    window.localStorage.removeItem("saas.authToken@acme.localhost:8000");
    window.dispatchEvent(
      new StorageEvent("storage", {
        key: "saas.authToken@acme.localhost:8000",
        oldValue: "abc",
        newValue: null,
        storageArea: window.localStorage,
      }),
    );

    expect(listener).toHaveBeenCalledTimes(1);
    expect(tokens.get()).toBeNull();
    expect(tokens.getNotice()).toBe("elsewhere");
  });

  it("ignores other hosts' tokens", () => {
    const tokens = createTokenStore(window.localStorage, "acme.localhost:8000", window);
    const listener = vi.fn();
    tokens.subscribe(listener);

    window.dispatchEvent(
      new StorageEvent("storage", { key: "saas.authToken@beta.localhost:8000", oldValue: "x", newValue: null, storageArea: window.localStorage }),
    );

    expect(listener).not.toHaveBeenCalled();
  });

  it("does not call its own logout an expired session", () => {
    const tokens = createTokenStore(window.localStorage, "acme.localhost:8000");
    tokens.set("abc");
    tokens.beginSignOut();
    tokens.clear("expired");
    expect(tokens.getNotice()).toBeNull();

    tokens.set("def");
    tokens.clear("expired");
    expect(tokens.getNotice()).toBe("expired");
  });
});
