export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
  subscribe(listener: () => void): () => void;
}

export function createTokenStore(storage: Storage, host: string): TokenStore {
  const key = `saas.authToken@${host}`;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());

  return {
    get: () => storage.getItem(key),
    set(token) {
      storage.setItem(key, token);
      notify();
    },
    clear() {
      storage.removeItem(key);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
