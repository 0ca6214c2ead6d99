export type ConnectionStatus = "idle" | "connecting" | "live" | "offline";

export interface ConnectionMonitor {
  getStatus(): ConnectionStatus;
  subscribe(listener: () => void): () => void;
  onReconnect(listener: () => void): () => void;
  connecting(): void;
  connected(): void;
  closed(): void;
  reset(): void;
}

/**
 * The live-updates socket's state as the user should see it: "live" only while the socket is
 * connected and acknowledged, "offline" from its first close until it is connected again (retries
 * in between do not flicker back to "connecting").
 */
export function createConnectionMonitor(): ConnectionMonitor {
  let status: ConnectionStatus = "idle";
  let connectedBefore = false;
  const statusListeners = new Set<() => void>();
  const reconnectListeners = new Set<() => void>();

  const setStatus = (next: ConnectionStatus) => {
    if (next === status) return;
    status = next;
    statusListeners.forEach((listener) => listener());
  };
  const listen = (listeners: Set<() => void>, listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  return {
    getStatus: () => status,
    subscribe: (listener) => listen(statusListeners, listener),
    onReconnect: (listener) => listen(reconnectListeners, listener),
    connecting() {
      if (status !== "offline") setStatus("connecting");
    },
    connected() {
      const isReconnect = connectedBefore;
      connectedBefore = true;
      setStatus("live");
      if (isReconnect) reconnectListeners.forEach((listener) => listener());
    },
    closed: () => setStatus(status === "idle" ? "idle" : "offline"),
    reset() {
      connectedBefore = false;
      setStatus("idle");
    },
  };
}
