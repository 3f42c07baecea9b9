CREATE TABLE `agreements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`fiscal_funds_fen` integer,
	`social_funds_fen` integer,
	`cadres` integer,
	`professionals` integer,
	`people_trained` integer,
	`enterprises` integer,
	`investment_fen` integer,
	`jobs` integer,
	`purchases_fen` integer,
	`pairups` integer,
	`commitments` text,
	`signed_on` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agreements_pairing_year_uq` ON `agreements` (`pairing_id`,`year`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE TABLE `pairings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`level` text NOT NULL,
	`pairup_kind` text,
	`parent_id` integer,
	`assisting_code` text NOT NULL,
	`assisting_unit` text,
	`assisted_code` text NOT NULL,
	`assisted_unit` text,
	`start_year` integer NOT NULL,
	`end_year` integer,
	`status` text DEFAULT 'active' NOT NULL,
	`outside_zones` integer DEFAULT false NOT NULL,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`parent_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assisting_code`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assisted_code`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pairings_parent_idx` ON `pairings` (`parent_id`);--> statement-breakpoint
CREATE INDEX `pairings_assisting_idx` ON `pairings` (`assisting_code`);--> statement-breakpoint
CREATE INDEX `pairings_assisted_idx` ON `pairings` (`assisted_code`);--> statement-breakpoint
CREATE INDEX `pairings_level_idx` ON `pairings` (`level`,`start_year`);--> statement-breakpoint
CREATE TABLE `consumption` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`ref` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	`amount_fen` integer NOT NULL,
	`products` text NOT NULL,
	`channel` text,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consumption_pairing_year_idx` ON `consumption` (`pairing_id`,`year`);--> statement-breakpoint
CREATE INDEX `consumption_year_idx` ON `consumption` (`year`);--> statement-breakpoint
CREATE UNIQUE INDEX `consumption_ref_uq` ON `consumption` (`pairing_id`,`ref`);--> statement-breakpoint
CREATE TABLE `funds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`ref` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	`kind` text NOT NULL,
	`form` text DEFAULT 'money' NOT NULL,
	`committed_fen` integer NOT NULL,
	`committed_on` text,
	`disbursed_fen` integer DEFAULT 0 NOT NULL,
	`disbursed_on` text,
	`purpose` text NOT NULL,
	`project_id` integer,
	`confirmation` text DEFAULT 'unconfirmed' NOT NULL,
	`received_fen` integer,
	`confirmed_by` integer,
	`confirmed_at` integer,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`confirmed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `funds_pairing_year_idx` ON `funds` (`pairing_id`,`year`);--> statement-breakpoint
CREATE INDEX `funds_year_idx` ON `funds` (`year`);--> statement-breakpoint
CREATE UNIQUE INDEX `funds_ref_uq` ON `funds` (`pairing_id`,`ref`);--> statement-breakpoint
CREATE TABLE `labour` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`ref` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`destination` text NOT NULL,
	`people` integer NOT NULL,
	`formerly_poor` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `labour_pairing_year_idx` ON `labour` (`pairing_id`,`year`);--> statement-breakpoint
CREATE INDEX `labour_year_idx` ON `labour` (`year`);--> statement-breakpoint
CREATE UNIQUE INDEX `labour_ref_uq` ON `labour` (`pairing_id`,`ref`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`ref` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`enterprise` text,
	`sector` text,
	`pledged_fen` integer DEFAULT 0 NOT NULL,
	`actual_fen` integer DEFAULT 0 NOT NULL,
	`location_code` text NOT NULL,
	`status` text NOT NULL,
	`jobs_created` integer DEFAULT 0 NOT NULL,
	`people_helped` integer DEFAULT 0 NOT NULL,
	`formerly_poor` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_code`) REFERENCES `regions`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `projects_pairing_year_idx` ON `projects` (`pairing_id`,`year`);--> statement-breakpoint
CREATE INDEX `projects_year_idx` ON `projects` (`year`);--> statement-breakpoint
CREATE UNIQUE INDEX `projects_ref_uq` ON `projects` (`pairing_id`,`ref`);--> statement-breakpoint
CREATE TABLE `talents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pairing_id` integer NOT NULL,
	`year` integer NOT NULL,
	`date` text NOT NULL,
	`ref` text,
	`notes` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	`kind` text NOT NULL,
	`profession` text,
	`direction` text DEFAULT 'to_west' NOT NULL,
	`people` integer NOT NULL,
	`start_on` text,
	`end_on` text,
	`host_unit` text,
	`trained` integer,
	FOREIGN KEY (`pairing_id`) REFERENCES `pairings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `talents_pairing_year_idx` ON `talents` (`pairing_id`,`year`);--> statement-breakpoint
CREATE INDEX `talents_year_idx` ON `talents` (`year`);--> statement-breakpoint
CREATE UNIQUE INDEX `talents_ref_uq` ON `talents` (`pairing_id`,`ref`);--> statement-breakpoint
ALTER TABLE `audit_log` ADD `pairing_id` integer;--> statement-breakpoint
CREATE INDEX `audit_pairing_idx` ON `audit_log` (`pairing_id`,`id`);