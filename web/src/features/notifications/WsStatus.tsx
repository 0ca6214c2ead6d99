import { useConnectionStatus } from "../../app/services";

export function WsStatus() {
  const status = useConnectionStatus();
  return (
    <span className={`ws-status ws-${status}`} data-testid="ws-status" title="Live updates connection">
      {status}
    </span>
  );
}
