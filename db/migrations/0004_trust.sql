CREATE TABLE `comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`pairing_id` integer,
	`author_id` integer,
	`side` text,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comments_entity_idx` ON `comments` (`entity`,`entity_id`,`id`);--> statement-breakpoint
CREATE TABLE `form_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`user_id` integer,
	`location` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `form_tokens_created_idx` ON `form_tokens` (`created_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `must_change_password` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `consumption` ADD `side` text DEFAULT 'assisting' NOT NULL;--> statement-breakpoint
ALTER TABLE `funds` ADD `side` text DEFAULT 'assisting' NOT NULL;--> statement-breakpoint
ALTER TABLE `labour` ADD `side` text DEFAULT 'assisting' NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `side` text DEFAULT 'assisting' NOT NULL;--> statement-breakpoint
ALTER TABLE `talents` ADD `side` text DEFAULT 'assisting' NOT NULL;--> statement-breakpoint
ALTER TABLE `assessment_rounds` ADD `publish_proposed_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `assessment_rounds` ADD `publish_proposed_at` integer;--> statement-breakpoint
ALTER TABLE `assessment_rounds` ADD `owner_id` integer REFERENCES users(id);
--> statement-breakpoint
-- Records entered by a user of the assisted side belong to that side (funds are always the assisting side's).
UPDATE `talents` SET `side` = 'assisted' WHERE EXISTS (SELECT 1 FROM `users` u JOIN `pairings` p ON p.id = `talents`.pairing_id WHERE u.id = `talents`.created_by AND u.region_code IS NOT NULL AND substr(p.assisted_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) = (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END) AND substr(p.assisting_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) <> (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END));
--> statement-breakpoint
UPDATE `projects` SET `side` = 'assisted' WHERE EXISTS (SELECT 1 FROM `users` u JOIN `pairings` p ON p.id = `projects`.pairing_id WHERE u.id = `projects`.created_by AND u.region_code IS NOT NULL AND substr(p.assisted_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) = (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END) AND substr(p.assisting_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) <> (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END));
--> statement-breakpoint
UPDATE `labour` SET `side` = 'assisted' WHERE EXISTS (SELECT 1 FROM `users` u JOIN `pairings` p ON p.id = `labour`.pairing_id WHERE u.id = `labour`.created_by AND u.region_code IS NOT NULL AND substr(p.assisted_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) = (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END) AND substr(p.assisting_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) <> (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END));
--> statement-breakpoint
UPDATE `consumption` SET `side` = 'assisted' WHERE EXISTS (SELECT 1 FROM `users` u JOIN `pairings` p ON p.id = `consumption`.pairing_id WHERE u.id = `consumption`.created_by AND u.region_code IS NOT NULL AND substr(p.assisted_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) = (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END) AND substr(p.assisting_code, 1, length((CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END))) <> (CASE WHEN substr(u.region_code, 3) = '0000' THEN substr(u.region_code, 1, 2) WHEN substr(u.region_code, 5) = '00' THEN substr(u.region_code, 1, 4) ELSE u.region_code END));
