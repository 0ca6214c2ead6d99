import type { MeQuery } from "../../gql/graphql";
import { UnreadBadge } from "../notifications/UnreadBadge";
import { WsStatus } from "../notifications/WsStatus";
import { useLogout } from "./useSession";

type User = NonNullable<MeQuery["me"]>;

export function UserMenu({ user }: { user: User }) {
  const { logout, loading } = useLogout();
  return (
    <div className="user-menu">
      <WsStatus />
      <UnreadBadge />
      <span className="me" data-testid="me-email" title={user.email}>
        {user.email}
      </span>
      {user.isStaff && (
        <span className="tag" data-testid="me-staff">
          staff
        </span>
      )}
      <button data-testid="logout" type="button" onClick={() => void logout()} disabled={loading}>
        Log out
      </button>
    </div>
  );
}
