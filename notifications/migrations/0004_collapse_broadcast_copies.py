"""Broadcasts used to be stored as one copy per user, all sharing message, level and timestamp.
Each such group becomes one broadcast row (the copy with the smallest id keeps its id), and the
users who had read their copy get a receipt for it."""

from django.db import migrations

COLLAPSE = """
CREATE TEMPORARY TABLE notif_copies AS
    SELECT copy.id AS copy_id, copy.recipient_id, copy.is_read, grouped.keep_id
    FROM notifications_notification AS copy
    JOIN (
        SELECT min(id) AS keep_id, message, level, created_at
        FROM notifications_notification
        WHERE recipient_id IS NOT NULL
        GROUP BY message, level, created_at
        HAVING count(*) > 1
    ) AS grouped USING (message, level, created_at)
    WHERE copy.recipient_id IS NOT NULL;

INSERT INTO notifications_notificationreceipt (notification_id, user_id)
    SELECT keep_id, recipient_id FROM notif_copies WHERE is_read
    ON CONFLICT DO NOTHING;

DELETE FROM notifications_notification
    WHERE id IN (SELECT copy_id FROM notif_copies WHERE copy_id <> keep_id);

UPDATE notifications_notification SET recipient_id = NULL, is_read = false
    WHERE id IN (SELECT DISTINCT keep_id FROM notif_copies);

DROP TABLE notif_copies;
"""


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_broadcasts_stored_once")]

    operations = [migrations.RunSQL(COLLAPSE, reverse_sql=migrations.RunSQL.noop)]
