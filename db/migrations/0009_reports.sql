CREATE TABLE `report_deadlines` (
	`year` integer PRIMARY KEY NOT NULL,
	`deadline` text NOT NULL,
	`set_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`set_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`side` text NOT NULL,
	`status` text NOT NULL,
	`submitted_by` integer,
	`submitted_at` integer,
	`submitted_scope` text,
	`reviewed_by` integer,
	`reviewed_at` integer,
	`return_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_pairing_year_side_uq` ON `reports` (`pairing_id`,`year`,`side`);--> statement-breakpoint
CREATE INDEX `reports_year_status_idx` ON `reports` (`year`,`status`);--> statement-breakpoint
CREATE TRIGGER `reports_version_insert` AFTER INSERT ON `reports` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('reports', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_version_update` AFTER UPDATE ON `reports` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('reports', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_version_delete` AFTER DELETE ON `reports` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('reports', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
