import { useConnectionStatus } from "../../app/services";

const DESCRIPTIONS = {
  idle: "Live updates are not connected yet",
  connecting: "Connecting for live updates",
  live: "Live updates are on",
  offline: "Offline: live updates will resume when the connection is back",
} as const;

export function WsStatus() {
  const status = useConnectionStatus();
  return (
    <span className={`ws-status ws-${status}`} data-testid="ws-status" title={DESCRIPTIONS[status]} role="status">
      {status}
    </span>
  );
}
