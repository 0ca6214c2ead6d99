/** Why the session ended without this tab's own "Log out": shown on the sign-in page. */
export type SignOutNotice = "expired" | "elsewhere";

export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  /** Forgets the token; with a reason, the sign-in page says why. */
  clear(reason?: SignOutNotice): void;
  /** This tab is logging out: a refusal of the old token now is not an expired session. */
  beginSignOut(): void;
  getNotice(): SignOutNotice | null;
  subscribe(listener: () => void): () => void;
}

/**
 * The bearer token of one tenant host, in localStorage so that every tab of the host shares it:
 * when another tab signs out (or in), the `storage` event brings this tab along.
 */
export function createTokenStore(storage: Storage, host: string, events?: Pick<Window, "addEventListener">): TokenStore {
  const key = `saas.authToken@${host}`;
  const listeners = new Set<() => void>();
  let notice: SignOutNotice | null = null;
  let signingOut = false;
  const notify = () => listeners.forEach((listener) => listener());

  events?.addEventListener("storage", (event: StorageEvent) => {
    if (event.storageArea !== storage || (event.key !== key && event.key !== null)) return;
    if (event.newValue === null && event.oldValue !== null) notice = signingOut ? null : "elsewhere";
    else if (event.newValue) notice = null;
    notify();
  });

  return {
    get: () => storage.getItem(key),
    set(token) {
      notice = null;
      signingOut = false;
      storage.setItem(key, token);
      notify();
    },
    clear(reason) {
      notice = signingOut ? null : (reason ?? null);
      signingOut = false;
      storage.removeItem(key);
      notify();
    },
    beginSignOut() {
      signingOut = true;
    },
    getNotice: () => notice,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
