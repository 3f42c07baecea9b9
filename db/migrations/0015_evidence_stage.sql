-- The stage an evidence file was given at: self (the assessed side's self-assessment), crosscheck
-- (an evaluator's judged score) or feedback (the assessed side's objection to a score). Until now a
-- file named an indicator only behind a judged score: those are the cross-check's.
ALTER TABLE `assessment_evidence` ADD `stage` text DEFAULT 'self' NOT NULL;--> statement-breakpoint
UPDATE `assessment_evidence` SET `stage` = 'crosscheck' WHERE `indicator_key` <> '';
