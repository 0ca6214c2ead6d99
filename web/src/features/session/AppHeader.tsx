import type { ReactNode } from "react";
import { useTenant } from "./useSession";

export function AppHeader({ children }: { children?: ReactNode }) {
  const tenant = useTenant();
  return (
    <header className="app-header">
      <h1 className="tenant">
        <span data-testid="tenant-name">{tenant?.name ?? "…"}</span>
        {tenant && (
          <span className="muted" data-testid="tenant-schema">
            {tenant.schemaName}
          </span>
        )}
      </h1>
      {children}
    </header>
  );
}
