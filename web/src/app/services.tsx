import { createContext, useContext, useEffect, useEffectEvent, useSyncExternalStore, type ReactNode } from "react";
import type { ConnectionMonitor, ConnectionStatus } from "./connectionMonitor";
import type { TokenStore } from "./tokenStore";

export interface Services {
  tokens: TokenStore;
  connection: ConnectionMonitor;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices must be used inside <ServicesProvider>");
  return services;
}

export function useToken(): string | null {
  const { tokens } = useServices();
  return useSyncExternalStore(tokens.subscribe, tokens.get);
}

export function useSignOutNotice() {
  const { tokens } = useServices();
  return useSyncExternalStore(tokens.subscribe, tokens.getNotice);
}

export function useConnectionStatus(): ConnectionStatus {
  const { connection } = useServices();
  return useSyncExternalStore(connection.subscribe, connection.getStatus);
}

export function useOnReconnect(callback: () => void): void {
  const { connection } = useServices();
  const onReconnect = useEffectEvent(callback);
  useEffect(() => connection.onReconnect(() => onReconnect()), [connection]);
}
