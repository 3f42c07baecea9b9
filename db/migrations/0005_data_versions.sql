CREATE TABLE `data_versions` (
	`key` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `funds_version_insert` AFTER INSERT ON `funds` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `funds_version_update` AFTER UPDATE ON `funds` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'year:' || NEW.year AS k UNION SELECT 'year:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `funds_version_delete` AFTER DELETE ON `funds` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `talents_version_insert` AFTER INSERT ON `talents` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `talents_version_update` AFTER UPDATE ON `talents` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'year:' || NEW.year AS k UNION SELECT 'year:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `talents_version_delete` AFTER DELETE ON `talents` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `projects_version_insert` AFTER INSERT ON `projects` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `projects_version_update` AFTER UPDATE ON `projects` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'year:' || NEW.year AS k UNION SELECT 'year:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `projects_version_delete` AFTER DELETE ON `projects` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `labour_version_insert` AFTER INSERT ON `labour` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `labour_version_update` AFTER UPDATE ON `labour` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'year:' || NEW.year AS k UNION SELECT 'year:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `labour_version_delete` AFTER DELETE ON `labour` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `consumption_version_insert` AFTER INSERT ON `consumption` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `consumption_version_update` AFTER UPDATE ON `consumption` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'year:' || NEW.year AS k UNION SELECT 'year:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `consumption_version_delete` AFTER DELETE ON `consumption` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agreements_version_insert` AFTER INSERT ON `agreements` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agreements_version_update` AFTER UPDATE ON `agreements` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'year:' || NEW.year AS k UNION SELECT 'year:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `agreements_version_delete` AFTER DELETE ON `agreements` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('year:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pairings_version_insert` AFTER INSERT ON `pairings` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('structure', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pairings_version_update` AFTER UPDATE ON `pairings` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('structure', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pairings_version_delete` AFTER DELETE ON `pairings` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('structure', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `regions_version_insert` AFTER INSERT ON `regions` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('structure', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `regions_version_update` AFTER UPDATE ON `regions` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('structure', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `regions_version_delete` AFTER DELETE ON `regions` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('structure', 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_frameworks_version_insert` AFTER INSERT ON `assessment_frameworks` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('assessment:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_frameworks_version_update` AFTER UPDATE ON `assessment_frameworks` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'assessment:' || NEW.year AS k UNION SELECT 'assessment:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_frameworks_version_delete` AFTER DELETE ON `assessment_frameworks` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('assessment:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_rounds_version_insert` AFTER INSERT ON `assessment_rounds` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('assessment:' || NEW.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_rounds_version_update` AFTER UPDATE ON `assessment_rounds` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'assessment:' || NEW.year AS k UNION SELECT 'assessment:' || OLD.year) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_rounds_version_delete` AFTER DELETE ON `assessment_rounds` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('assessment:' || OLD.year, 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_inputs_version_insert` AFTER INSERT ON `assessment_inputs` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('assessment:' || (SELECT year FROM assessment_rounds WHERE id = NEW.round_id), 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_inputs_version_update` AFTER UPDATE ON `assessment_inputs` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) SELECT k, 1 FROM (SELECT 'assessment:' || (SELECT year FROM assessment_rounds WHERE id = NEW.round_id) AS k UNION SELECT 'assessment:' || (SELECT year FROM assessment_rounds WHERE id = OLD.round_id)) WHERE k IS NOT NULL ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `assessment_inputs_version_delete` AFTER DELETE ON `assessment_inputs` FOR EACH ROW BEGIN
	INSERT INTO data_versions (key, version) VALUES ('assessment:' || (SELECT year FROM assessment_rounds WHERE id = OLD.round_id), 1) ON CONFLICT (key) DO UPDATE SET version = version + 1;
END;
