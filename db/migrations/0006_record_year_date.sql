DROP INDEX `consumption_year_idx`;--> statement-breakpoint
CREATE INDEX `consumption_year_date_idx` ON `consumption` (`year`,`date`);--> statement-breakpoint
DROP INDEX `funds_year_idx`;--> statement-breakpoint
CREATE INDEX `funds_year_date_idx` ON `funds` (`year`,`date`);--> statement-breakpoint
DROP INDEX `labour_year_idx`;--> statement-breakpoint
CREATE INDEX `labour_year_date_idx` ON `labour` (`year`,`date`);--> statement-breakpoint
DROP INDEX `projects_year_idx`;--> statement-breakpoint
CREATE INDEX `projects_year_date_idx` ON `projects` (`year`,`date`);--> statement-breakpoint
DROP INDEX `talents_year_idx`;--> statement-breakpoint
CREATE INDEX `talents_year_date_idx` ON `talents` (`year`,`date`);