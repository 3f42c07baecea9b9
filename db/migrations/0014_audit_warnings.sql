-- The plausibility warnings a user confirmed with a change ("yes, this is right"), by rule id: JSON array or NULL.
ALTER TABLE `audit_log` ADD `warnings` text;
