import { errorMessage } from "../../lib/errors";
import { useNotificationFeed } from "./useNotificationFeed";

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

export function NotificationFeed() {
  const { notifications, unreadCount, latest, error, markRead, markAllRead } = useNotificationFeed();

  return (
    <section className="panel notifications" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading" tabIndex={-1}>
        Notifications{" "}
        {unreadCount !== undefined && (
          <span className="count" data-testid="feed-unread-count">
            {unreadCount} unread
          </span>
        )}
      </h2>
      <p className="visually-hidden" aria-live="polite" data-testid="notification-announcer">
        {latest ? `New notification: ${latest}` : ""}
      </p>
      <button data-testid="mark-all-read" type="button" onClick={() => void markAllRead()} disabled={!unreadCount}>
        Mark all read
      </button>
      {error && (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {notifications.length === 0 && <p className="muted">Nothing yet.</p>}
      <ul className="feed">
        {notifications.map((notification) => (
          <li
            key={notification.id}
            data-testid="notification-item"
            data-read={notification.isRead}
            className={`level-${notification.level.toLowerCase()}${notification.isRead ? " read" : ""}`}
          >
            <span className="message">{notification.message}</span>
            <time dateTime={notification.createdAt}>{timeFormat.format(new Date(notification.createdAt))}</time>
            {!notification.isRead && (
              <button data-testid="mark-read" type="button" onClick={() => void markRead(notification.id)}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
