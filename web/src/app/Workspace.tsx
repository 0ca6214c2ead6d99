import { useApolloClient } from "@apollo/client/react";
import { useEffect } from "react";
import { NotificationFeed } from "../features/notifications/NotificationFeed";
import { ProductsPanel } from "../features/products/ProductsPanel";
import { AppHeader } from "../features/session/AppHeader";
import { UserMenu } from "../features/session/UserMenu";
import { useCurrentUser } from "../features/session/useSession";
import { errorMessage } from "../lib/errors";
import { useOnReconnect } from "./services";

/** Once the connection is back (socket reconnected or the browser online again), fetch what failed. */
function useRecoverWhenOnline() {
  const client = useApolloClient();
  const refetch = () => void client.refetchQueries({ include: "active" }).catch(() => undefined);
  useOnReconnect(refetch);
  useEffect(() => {
    const onOnline = () => void client.refetchQueries({ include: "active" }).catch(() => undefined);
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [client]);
}

export function Workspace() {
  const { user, error } = useCurrentUser();
  useRecoverWhenOnline();

  return (
    <>
      <AppHeader>{user && <UserMenu user={user} />}</AppHeader>
      {user ? (
        <main className="workspace" id="main">
          <ProductsPanel canEdit={user.isStaff} />
          <aside>
            <NotificationFeed />
          </aside>
        </main>
      ) : (
        <main className="centered" id="main">
          {error ? (
            <p className="error" role="alert">
              {errorMessage(error)}
            </p>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </main>
      )}
    </>
  );
}
