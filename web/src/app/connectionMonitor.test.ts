import { createConnectionMonitor } from "./connectionMonitor";

describe("connectionMonitor", () => {
  it("reports status changes to subscribers", () => {
    const monitor = createConnectionMonitor();
    const seen: string[] = [];
    monitor.subscribe(() => seen.push(monitor.getStatus()));

    monitor.connecting();
    monitor.connected();
    monitor.closed();

    expect(seen).toEqual(["connecting", "live", "offline"]);
  });

  it("signals a reconnect only for connections after the first one", () => {
    const monitor = createConnectionMonitor();
    const onReconnect = vi.fn();
    monitor.onReconnect(onReconnect);

    monitor.connected();
    expect(onReconnect).not.toHaveBeenCalled();

    monitor.closed();
    monitor.connected();
    expect(onReconnect).toHaveBeenCalledTimes(1);
  });

  it("treats the first connection after reset as a fresh start", () => {
    const monitor = createConnectionMonitor();
    const onReconnect = vi.fn();
    monitor.onReconnect(onReconnect);

    monitor.connected();
    monitor.reset();
    expect(monitor.getStatus()).toBe("idle");
    monitor.connected();

    expect(onReconnect).not.toHaveBeenCalled();
  });

  it("stops notifying listeners that unsubscribed", () => {
    const monitor = createConnectionMonitor();
    const onReconnect = vi.fn();
    const unsubscribe = monitor.onReconnect(onReconnect);

    unsubscribe();
    monitor.connected();
    monitor.connected();

    expect(onReconnect).not.toHaveBeenCalled();
  });

  it("stays offline while retries are under way, until a connection is acknowledged", () => {
    const monitor = createConnectionMonitor();
    monitor.connecting();
    monitor.connected();
    monitor.closed();

    monitor.connecting();
    expect(monitor.getStatus()).toBe("offline");
    monitor.closed();
    monitor.connecting();
    expect(monitor.getStatus()).toBe("offline");

    monitor.connected();
    expect(monitor.getStatus()).toBe("live");
  });
});
