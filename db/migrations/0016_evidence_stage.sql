-- The stage an evidence file was given at: self (the assessed side's self-assessment), crosscheck
-- (an evaluator's judged score) or feedback (the assessed side's objection to a score).
ALTER TABLE `assessment_evidence` ADD `stage` text DEFAULT 'self' NOT NULL;--> statement-breakpoint
UPDATE `assessment_evidence` SET `stage` = 'crosscheck'
  WHERE `indicator_key` <> '' AND `user_id` IN (SELECT `id` FROM `users` WHERE `role` IN ('admin', 'evaluator'));
