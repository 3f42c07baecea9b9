ALTER TABLE `users` ADD `email` text;
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`day` text NOT NULL,
	`pairing_id` integer,
	`year` integer,
	`side` text,
	`link` text NOT NULL,
	`params` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_user_key_uq` ON `notifications` (`user_id`,`key`);--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_unread_idx` ON `notifications` (`user_id`,`read_at`) WHERE `read_at` IS NULL;--> statement-breakpoint
CREATE INDEX `notifications_report_idx` ON `notifications` (`pairing_id`,`year`,`side`) WHERE `pairing_id` IS NOT NULL;--> statement-breakpoint
CREATE TABLE `notification_runs` (
	`day` text PRIMARY KEY NOT NULL,
	`ran_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_audit_id` integer NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`mailed` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `notifications_report_submitted_insert` AFTER INSERT ON `reports` FOR EACH ROW WHEN NEW.status IN ('submitted', 'accepted') BEGIN
	DELETE FROM notifications WHERE pairing_id = NEW.pairing_id AND year = NEW.year AND side = NEW.side AND kind IN ('deadline7', 'deadline1');
END;
--> statement-breakpoint
CREATE TRIGGER `notifications_report_submitted_update` AFTER UPDATE OF status ON `reports` FOR EACH ROW WHEN NEW.status IN ('submitted', 'accepted') BEGIN
	DELETE FROM notifications WHERE pairing_id = NEW.pairing_id AND year = NEW.year AND side = NEW.side AND kind IN ('deadline7', 'deadline1');
END;
--> statement-breakpoint
CREATE TRIGGER `notifications_user_scope_changed` AFTER UPDATE OF region_code, role ON `users` FOR EACH ROW WHEN NEW.region_code IS NOT OLD.region_code OR NEW.role IS NOT OLD.role BEGIN
	DELETE FROM notifications WHERE user_id = NEW.id;
END;
