import type { ReactNode } from "react";
import { useTenant } from "./useSession";

export function AppHeader({ children }: { children?: ReactNode }) {
  const tenant = useTenant();
  return (
    <header className="app-header">
      <div className="tenant">
        <strong data-testid="tenant-name">{tenant?.name ?? "…"}</strong>
        {tenant && (
          <span className="muted" data-testid="tenant-schema">
            {tenant.schemaName}
          </span>
        )}
      </div>
      {children}
    </header>
  );
}
