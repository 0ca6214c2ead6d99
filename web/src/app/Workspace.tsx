import { NotificationFeed } from "../features/notifications/NotificationFeed";
import { ProductsPanel } from "../features/products/ProductsPanel";
import { SearchPanel } from "../features/search/SearchPanel";
import { AppHeader } from "../features/session/AppHeader";
import { UserMenu } from "../features/session/UserMenu";
import { useCurrentUser } from "../features/session/useSession";
import { errorMessage } from "../lib/errors";

export function Workspace() {
  const { user, error } = useCurrentUser();

  return (
    <>
      <AppHeader>{user && <UserMenu user={user} />}</AppHeader>
      {user ? (
        <main className="workspace">
          <ProductsPanel canEdit={user.isStaff} />
          <aside>
            <NotificationFeed />
            <SearchPanel />
          </aside>
        </main>
      ) : (
        <main className="centered">
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
