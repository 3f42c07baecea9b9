CREATE TABLE `home_marks` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`changes_seen_id` integer DEFAULT 0 NOT NULL,
	`seen_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
