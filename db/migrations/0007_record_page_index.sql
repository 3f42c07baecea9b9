DROP INDEX `consumption_year_date_idx`;--> statement-breakpoint
CREATE INDEX `consumption_page_idx` ON `consumption` (`year`,`date`,`id`,`pairing_id`,`deleted_at`);--> statement-breakpoint
DROP INDEX `funds_year_date_idx`;--> statement-breakpoint
CREATE INDEX `funds_page_idx` ON `funds` (`year`,`date`,`id`,`pairing_id`,`deleted_at`);--> statement-breakpoint
DROP INDEX `labour_year_date_idx`;--> statement-breakpoint
CREATE INDEX `labour_page_idx` ON `labour` (`year`,`date`,`id`,`pairing_id`,`deleted_at`);--> statement-breakpoint
DROP INDEX `projects_year_date_idx`;--> statement-breakpoint
CREATE INDEX `projects_page_idx` ON `projects` (`year`,`date`,`id`,`pairing_id`,`deleted_at`);--> statement-breakpoint
DROP INDEX `talents_year_date_idx`;--> statement-breakpoint
CREATE INDEX `talents_page_idx` ON `talents` (`year`,`date`,`id`,`pairing_id`,`deleted_at`);