CREATE TABLE `assessment_frameworks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`doc` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_frameworks_year_unique` ON `assessment_frameworks` (`year`);--> statement-breakpoint
CREATE TABLE `assessment_inputs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`object_key` text NOT NULL,
	`indicator_key` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`user_id` integer NOT NULL,
	`score` integer,
	`text` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `assessment_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inputs_uq` ON `assessment_inputs` (`round_id`,`object_key`,`indicator_key`,`kind`,`user_id`);--> statement-breakpoint
CREATE INDEX `inputs_round_idx` ON `assessment_inputs` (`round_id`,`kind`);--> statement-breakpoint
CREATE TABLE `assessment_rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`stage` text DEFAULT 'self' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`moved_by` integer,
	`published_at` integer,
	`snapshot` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`moved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assessment_rounds_year_unique` ON `assessment_rounds` (`year`);