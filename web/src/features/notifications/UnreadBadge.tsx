import { useQuery } from "@apollo/client/react";
import { UNREAD_COUNT_QUERY } from "./operations";

/** The header's unread count; a link to the notifications, read as "3 unread". */
export function UnreadBadge() {
  const { data } = useQuery(UNREAD_COUNT_QUERY);
  const count = data?.unreadNotificationCount;
  if (count === undefined) return null;
  return (
    <a
      href="#notifications-heading"
      className={count > 0 ? "badge" : "badge empty"}
      data-testid="unread-count"
      aria-label={`${count} unread`}
      title={`${count} unread notification${count === 1 ? "" : "s"}`}
    >
      {count}
    </a>
  );
}
